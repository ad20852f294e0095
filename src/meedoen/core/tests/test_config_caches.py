"""MEEDOEN_CACHE_URL, MEEDOEN_API_BSN_SEARCH_RATE and MEEDOEN_RETENTION_SCHEDULE: the values
they accept and the loud failure on others (config/caches.py, config/env.py)."""

from __future__ import annotations

import datetime as dt
import importlib.util

import pytest
from django.core.exceptions import ImproperlyConfigured

from meedoen.config.caches import cache_from_url
from meedoen.config.env import ENV_VARIABLES, env_daily_time, env_rate


@pytest.fixture
def registry_snapshot():
    """The throw-away names below must not reach the documentation check."""
    before = set(ENV_VARIABLES)
    yield
    ENV_VARIABLES.clear()
    ENV_VARIABLES.update(before)


def test_locmem_and_db():
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    db = cache_from_url("db://")
    assert db["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert db["LOCATION"] == "meedoen_cache"


def test_redis_needs_the_package():
    url = "redis://:geheim-wachtwoord@127.0.0.1:6379/0"
    if importlib.util.find_spec("redis") is None:
        with pytest.raises(ImproperlyConfigured) as error:
            cache_from_url(url)
        assert "pip install redis" in str(error.value)
        assert "geheim" not in str(error.value)
    else:
        config = cache_from_url(url)
        assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert config["LOCATION"] == url


@pytest.mark.parametrize("url", ["memcached://127.0.0.1:11211", "", "127.0.0.1:6379", "x://:pw@h"])
def test_unknown_cache_url_stops_start_up_without_echoing_it(url):
    with pytest.raises(ImproperlyConfigured) as error:
        cache_from_url(url)
    message = str(error.value)
    assert "MEEDOEN_CACHE_URL" in message
    assert "pw@" not in message


@pytest.mark.parametrize("value", ["30/minute", "5/s", "1000/day", "2/hour", "10/min"])
def test_rate_accepted(monkeypatch, registry_snapshot, value):
    monkeypatch.setenv("MEEDOEN_TEST_RATE", value)
    assert env_rate("MEEDOEN_TEST_RATE", "1/minute") == value


@pytest.mark.parametrize("value", ["30", "0/minute", "30/week", "thirty/minute", "30 / minute"])
def test_rate_refused(monkeypatch, registry_snapshot, value):
    monkeypatch.setenv("MEEDOEN_TEST_RATE", value)
    with pytest.raises(ImproperlyConfigured, match="MEEDOEN_TEST_RATE"):
        env_rate("MEEDOEN_TEST_RATE", "1/minute")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("02:00", dt.time(2, 0)),
        ("2:30", dt.time(2, 30)),
        ("23:59", dt.time(23, 59)),
        ("off", None),
        ("0", None),
        ("false", None),
    ],
)
def test_daily_time(monkeypatch, registry_snapshot, value, expected):
    monkeypatch.setenv("MEEDOEN_TEST_TIME", value)
    assert env_daily_time("MEEDOEN_TEST_TIME", "02:00") == expected


@pytest.mark.parametrize("value", ["24:00", "2", "02:60", "tomorrow", "02:00:00"])
def test_daily_time_refused(monkeypatch, registry_snapshot, value):
    monkeypatch.setenv("MEEDOEN_TEST_TIME", value)
    with pytest.raises(ImproperlyConfigured, match="MEEDOEN_TEST_TIME"):
        env_daily_time("MEEDOEN_TEST_TIME", "02:00")


def test_defaults(monkeypatch, registry_snapshot):
    monkeypatch.delenv("MEEDOEN_TEST_TIME", raising=False)
    assert env_daily_time("MEEDOEN_TEST_TIME", "02:00") == dt.time(2, 0)
