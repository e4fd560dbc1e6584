"""Platform for Partnerships: projects proposed by governments, screened, reviewed, decided and published."""
