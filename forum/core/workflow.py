"""A small state-machine engine. Each area declares its workflow as data; `fire` applies a transition.

A transition names its source states, its target, and the permission action that guards it. Firing checks the
permission through `require`, changes the state, writes the audit entry, and returns the transition for the
caller to add its own side effects (history rows, mail). The caller commits.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from forum.core.audit import AuditVerb, record
from forum.core.errors import InvalidTransition
from forum.core.permissions import Action, require


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[enum.Enum]
    target: enum.Enum
    action: Action
    label: str = ""


@dataclass(frozen=True)
class Workflow:
    state_field: str
    transitions: dict[str, Transition]

    def available(self, state: enum.Enum) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources]

    def fire(self, actor: Any, obj: Any, name: str, *, comment: str = "", hide: bool = False) -> Transition:
        transition = self.transitions.get(name)
        if transition is None:
            raise InvalidTransition(f"unknown transition {name!r}")
        require(actor, transition.action, obj, hide=hide)
        before = getattr(obj, self.state_field)
        if before not in transition.sources:
            raise InvalidTransition(f"cannot {transition.label or name} from {before.value}")
        setattr(obj, self.state_field, transition.target)
        record(
            actor,
            AuditVerb.TRANSITION,
            obj,
            {self.state_field: [before.value, transition.target.value]},
            note=comment,
        )
        return transition
