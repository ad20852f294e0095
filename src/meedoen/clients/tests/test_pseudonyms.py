"""Keyed pseudonyms for analysts: stable per purpose, unlinkable across purposes, and not
computable from a BSN or a client id without the key (issue 3: brute force recovers 0%)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterator

import pytest

from meedoen.clients.bsn import bsn_decrypt
from meedoen.clients.tests.factories import ClientFactory, registry_municipality
from meedoen.core.pseudonyms import pseudonym_cache_clear, pseudonym_for

PURPOSE = "analytics.monitor"


@pytest.fixture
def secret_key(settings):
    settings.PSEUDONYM_KEY = secrets.token_urlsafe(32)
    pseudonym_cache_clear()
    yield settings.PSEUDONYM_KEY
    pseudonym_cache_clear()


def valid_bsns(start: int = 999_900_000, stop: int = 1_000_000_000) -> Iterator[str]:
    """Every number in the range that passes the 11-proef: the attacker's dictionary."""
    for number in range(start, stop):
        digits = str(number)
        total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
        if (total - int(digits[8])) % 11 == 0:
            yield digits


def _hmac(key: bytes, message: str) -> str:
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


# What someone with the database and the source code, but without the key, can try.
KEYLESS_GUESSES: dict[str, Callable[[str], str]] = {
    "sha256": lambda value: hashlib.sha256(value.encode()).hexdigest(),
    "sha256 with purpose": lambda value: hashlib.sha256(f"{PURPOSE}:{value}".encode()).hexdigest(),
    "hmac, empty key": lambda value: _hmac(b"", value),
    "hmac, the development key": lambda value: _hmac(
        _hmac(b"dev-only-pseudonym-key", f"meedoen-pseudonym:{PURPOSE}").encode(), value
    ),
    "our scheme, development key": lambda value: _hmac(
        hmac.new(
            b"dev-only-pseudonym-key", f"meedoen-pseudonym:{PURPOSE}".encode(), hashlib.sha256
        ).digest(),
        value,
    ),
}


def attack(targets: set[str], candidates: Iterator[str]) -> set[str]:
    """Pseudonyms in `targets` that some keyless guess reproduces from some candidate value."""
    found = set()
    for value in candidates:
        for guess in KEYLESS_GUESSES.values():
            pseudonym = guess(value)[: len(next(iter(targets)))]
            if pseudonym in targets:
                found.add(pseudonym)
    return found


def test_same_client_and_purpose_give_the_same_pseudonym(secret_key):
    assert pseudonym_for(client_id="c-1", purpose=PURPOSE) == pseudonym_for(
        client_id="c-1", purpose=PURPOSE
    )
    assert pseudonym_for(client_id="c-1", purpose=PURPOSE) != pseudonym_for(
        client_id="c-2", purpose=PURPOSE
    )


def test_another_purpose_gives_an_unrelated_pseudonym(secret_key):
    ids = [f"client-{n}" for n in range(200)]
    monitor = [pseudonym_for(client_id=i, purpose=PURPOSE) for i in ids]
    research = [pseudonym_for(client_id=i, purpose="analytics.effect_study") for i in ids]
    assert not set(monitor) & set(research)
    # Unrelated, not shifted: the two lists share no more leading characters than chance allows.
    same_first_char = sum(a[0] == b[0] for a, b in zip(monitor, research, strict=True))
    assert same_first_char < 40  # expected 200/16 = 12.5


def test_the_key_decides_the_pseudonym(settings, secret_key):
    before = pseudonym_for(client_id="c-1", purpose=PURPOSE)
    settings.PSEUDONYM_KEY = secrets.token_urlsafe(32)
    pseudonym_cache_clear()
    assert pseudonym_for(client_id="c-1", purpose=PURPOSE) != before


def test_a_purpose_is_required(secret_key):
    with pytest.raises(ValueError, match="purpose"):
        pseudonym_for(client_id="c-1", purpose="")


@pytest.mark.django_db
def test_brute_force_over_the_11_proef_space_recovers_no_pseudonym(secret_key):
    factory = ClientFactory(registry_municipality(code="0518", name="'s-Gravenhage"))
    clients = [factory() for _ in range(25)]
    dataset = {pseudonym_for(client_id=c.pk, purpose=PURPOSE) for c in clients}
    bsns = {bsn_decrypt(c.bsn_encrypted) for c in clients}
    dictionary = list(valid_bsns())
    assert bsns <= set(dictionary)  # the attacker's dictionary holds every real BSN
    assert len(dictionary) > 9_000

    # Control: the attack works — against pseudonyms that are a plain hash of the BSN (a scheme
    # without a key), it recovers every one.
    naive = {hashlib.sha256(b.encode()).hexdigest()[:32] for b in bsns}
    assert attack(naive, iter(dictionary)) == naive

    # Against the keyed pseudonyms: nothing from any valid BSN, nothing from the client ids the
    # attacker can read in the database.
    assert attack(dataset, iter(dictionary)) == set()
    assert attack(dataset, (str(c.pk) for c in clients)) == set()
