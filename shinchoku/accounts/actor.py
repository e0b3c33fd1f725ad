"""Who writes: a staff account (web or API token) or the operator at the server's shell (the CLI).

Every guarded service takes an Actor, checks the rule table through it and records it in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from django.contrib.auth.models import AnonymousUser, User
from typing_extensions import Unpack

from shinchoku.reference.models import Organization

from . import audit
from .rules import Action, can, require

__all__ = ["Actor"]


class Writer(TypedDict):
    actor: str  # the writer's name
    source: str  # "ui", "api", "cli", "demo"


@dataclass(frozen=True)
class Actor:
    name: str  # recorded in the audit trail and as the writer of rows
    source: str  # "ui", "api", "cli", "demo"
    user: User | None = None  # None: the operator at the server's shell, who may do everything

    @classmethod
    def of(cls, user: User | AnonymousUser, source: str) -> Actor:
        """A signed-in account (a session, or a personal API token)."""
        assert isinstance(user, User), "an anonymous visitor writes nothing"
        return cls(user.get_username(), source, user)

    @classmethod
    def shell(cls, name: str, source: str = "cli") -> Actor:
        """The operator running `shinchoku …` on the server: the rule table does not restrict the shell."""
        return cls(name, source, None)

    def require(self, action: Action, org: Organization | None = None) -> None:
        """PermissionDenied (Japanese message) unless the rule table allows the action on the 団体."""
        if self.user is not None:
            require(self.user, action, org)

    def can(self, action: Action, org: Organization | None = None) -> bool:
        return self.user is None or can(self.user, action, org)

    @property
    def writer(self) -> Writer:
        """Who a write primitive records as the writer of a row: pass as `**actor.writer`."""
        return {"actor": self.name, "source": self.source}

    def record(self, action: str, **subject: Unpack[audit.Subject]) -> audit.AuditEntry:
        """An audit entry written by this actor (call inside the write's transaction)."""
        return audit.record(**self.writer, action=action, **subject)
