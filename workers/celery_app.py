"""The Celery application, bound to the Flask app so every task runs inside an app context.

Start a worker with `celery -A workers.celery_app worker` and beat with `celery -A workers.celery_app beat`.
"""

from forum import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
