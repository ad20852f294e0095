"""Verification of the audit trail's hash chains: walk, recompute, report the first broken link.

Constant memory: rows stream from the database in chunks, in (municipality_code, seq) order along
the unique index, and only the previous row is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from meedoen.audit import chain
from meedoen.audit.models import AuditChainHead, AuditEvent

CHUNK_SIZE = 5000

_FIELDS = (
    "id",
    *chain.HASHED_FIELDS,
    "hash",
    "content_salt",
    "ip_address",
    "user_agent",
    "detail",
    "redacted_at",
)


@dataclass(frozen=True)
class ChainReport:
    municipality_code: str
    count: int
    head_hash: str
    problem: str = ""  # empty when the chain is intact, else a Dutch sentence naming the row

    @property
    def intact(self) -> bool:
        return not self.problem


def chain_codes(*, municipality_code: str | None = None) -> list[str]:
    if municipality_code is not None:
        return [municipality_code]
    codes = set(AuditChainHead.objects.values_list("municipality_code", flat=True))
    # Rows whose head is missing (deleted by hand) must still be checked.
    codes.update(
        AuditEvent.objects.order_by().values_list("municipality_code", flat=True).distinct()
    )
    return sorted(codes)


def chain_name(code: str) -> str:
    return _("gemeente %(code)s") % {"code": code} if code else _("installatie")


def audit_chain_verify(*, municipality_code: str) -> ChainReport:
    """Verify one chain. Stops at the first broken link and says which row and what is wrong."""
    rows = (
        AuditEvent.objects.filter(municipality_code=municipality_code)
        .order_by("seq")
        .values_list(*_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    return _walk(municipality_code, rows)


def _walk(code: str, rows: Iterable[tuple[Any, ...]]) -> ChainReport:
    name = chain_name(code)
    count = 0
    prev_hash = chain.GENESIS_HASH
    prev_id = 0
    for row in rows:
        (pk, _code, seq, at, actor_id, actor_name, actor_role, action, object_type, object_id,
         subject, purpose, result, content_hash, row_prev_hash, row_hash, salt, ip_address,
         user_agent, detail, redacted_at) = row  # fmt: skip
        expected = count + 1
        where = _("%(chain)s, regel %(seq)s (id %(id)s, %(at)s)") % {
            "chain": name,
            "seq": seq,
            "id": pk,
            "at": at.isoformat(timespec="seconds"),
        }
        if seq != expected:
            problem = _(
                "%(where)s: volgnummer %(expected)s verwacht. Er zijn regels verwijderd of "
                "tussengevoegd, of de volgorde is veranderd."
            ) % {"where": where, "expected": expected}
            return ChainReport(code, count, prev_hash, problem)
        if row_prev_hash != prev_hash:
            problem = _(
                "%(where)s: de verwijzing naar de vorige regel klopt niet. Een regel is "
                "verwijderd, tussengevoegd of verplaatst."
            ) % {"where": where}
            return ChainReport(code, count, prev_hash, problem)
        if pk <= prev_id:
            problem = _(
                "%(where)s: de regel staat op een andere plaats dan waar hij is geschreven. "
                "De volgorde is veranderd."
            ) % {"where": where}
            return ChainReport(code, count, prev_hash, problem)
        if redacted_at is None and content_hash != chain.content_hash(
            salt=salt, ip_address=ip_address, user_agent=user_agent, detail=detail
        ):
            problem = _(
                "%(where)s: herkomst of details (IP-adres, browser, details) zijn gewijzigd."
            ) % {"where": where}
            return ChainReport(code, count, prev_hash, problem)
        computed = chain.event_hash(
            chain=code,
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_name=actor_name,
            actor_role=actor_role,
            action=action,
            object_type=object_type,
            object_id=object_id,
            subject_pseudonym=subject,
            purpose=purpose,
            result=result,
            content_hash=content_hash,
            prev_hash=row_prev_hash,
        )
        if computed != row_hash:
            problem = _(
                "%(where)s: de inhoud van de regel is gewijzigd (tijdstip, medewerker, actie, "
                "object, cliënt, doel of resultaat)."
            ) % {"where": where}
            return ChainReport(code, count, prev_hash, problem)
        count, prev_hash, prev_id = expected, row_hash, pk
    head = AuditChainHead.objects.filter(municipality_code=code).values_list(
        "last_seq", "last_hash"
    )
    last = head.first() or (0, chain.GENESIS_HASH)
    if last != (count, prev_hash):
        problem = _(
            "%(chain)s: de keten eindigt bij regel %(count)s, maar de laatst geschreven regel "
            "was %(last)s. Er zijn regels aan het eind verwijderd of de kop is gewijzigd."
        ) % {"chain": name, "count": count, "last": last[0]}
        return ChainReport(code, count, prev_hash, problem)
    return ChainReport(code, count, prev_hash)
