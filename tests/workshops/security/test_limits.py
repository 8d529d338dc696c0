"""The one limiter mechanism (workshops/limits.py): rules from config, refusals, the 429 page."""

from __future__ import annotations

import os
import uuid

import pytest
from flask import Flask

from workshops import limits


@pytest.fixture
def app_config(app_config):
    app_config["TEST_RULE"] = "3/minute"
    app_config["OFF_RULE"] = "off"
    return app_config


def test_a_rule_allows_its_count_then_refuses_with_the_wait(app):
    with app.test_request_context():
        for _ in range(3):
            limits.consume("TEST_RULE", "someone")
        with pytest.raises(limits.Limited) as refused:
            limits.consume("TEST_RULE", "someone")
        assert 1 <= refused.value.retry_after <= 60
        assert limits.exhausted("TEST_RULE", "someone") is not None
        limits.consume("TEST_RULE", "someone else")  # keys are counted apart
        limits.clear("TEST_RULE", "someone")
        assert limits.exhausted("TEST_RULE", "someone") is None
        limits.consume("TEST_RULE", "someone")


def test_off_disables_a_rule_and_a_malformed_rule_is_loud(app):
    with app.test_request_context():
        for _ in range(100):
            limits.consume("OFF_RULE", "x")
        app.config["BAD_RULE"] = "many per while"
        with pytest.raises(ValueError):
            limits.consume("BAD_RULE", "x")


def test_a_refusal_is_a_french_429_page_with_retry_after(app):
    @app.route("/limited-probe")
    def probe():
        limits.consume("TEST_RULE", "probe")
        return "ok"

    client = app.test_client()
    assert [client.get("/limited-probe").status_code for _ in range(3)] == [200] * 3
    response = client.get("/limited-probe")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert "Trop de tentatives" in response.get_data(as_text=True)


def test_the_storage_is_the_message_queue_redis_unless_set(tmp_path):
    app = Flask(__name__)
    app.config.update(SOCKETIO_MESSAGE_QUEUE="redis://127.0.0.1:6379/0", RATELIMIT_STORAGE_URI="")
    limits.init_app(app)
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


@pytest.mark.skipif(not os.environ.get("DIAGNOSTIC_TEST_REDIS_URL"),
                    reason="needs DIAGNOSTIC_TEST_REDIS_URL")
def test_two_app_instances_sharing_redis_share_the_counts(app_config, tmp_path, monkeypatch):
    """Each server process builds its own storage; with Redis they count together."""
    from workshops import create_app

    monkeypatch.setenv("DIAGNOSTIC_INSTANCE_PATH", str(tmp_path / "instance"))
    redis_url = os.environ["DIAGNOSTIC_TEST_REDIS_URL"]
    address = f"redis-test-{uuid.uuid4().hex}"  # a key of its own on a shared Redis
    config = {**app_config, "RATELIMIT_STORAGE_URI": redis_url, "TEST_RULE": "3/hour"}
    first = create_app(config)
    with first.test_request_context():
        for _ in range(3):
            limits.consume("TEST_RULE", address)
    second = create_app(config)  # a new storage, as in another process
    with second.test_request_context():
        with pytest.raises(limits.Limited):
            limits.consume("TEST_RULE", address)
        limits.clear("TEST_RULE", address)
    # The contrast: memory:// storages are per instance and count apart.
    memory = {**config, "RATELIMIT_STORAGE_URI": "memory://"}
    with create_app(memory).test_request_context():
        for _ in range(3):
            limits.consume("TEST_RULE", address)
    with create_app(memory).test_request_context():
        limits.consume("TEST_RULE", address)


@pytest.mark.skipif(not os.environ.get("DIAGNOSTIC_TEST_REDIS_URL"),
                    reason="needs DIAGNOSTIC_TEST_REDIS_URL")
def test_a_rule_of_several_limits_is_checked_in_one_redis_round_trip(app_config, tmp_path,
                                                                     monkeypatch):
    """``require`` of a rule with two limits sends one pipeline; each limit still refuses."""
    from redis.client import Pipeline

    from workshops import create_app

    monkeypatch.setenv("DIAGNOSTIC_INSTANCE_PATH", str(tmp_path / "instance"))
    address = f"redis-test-{uuid.uuid4().hex}"
    app = create_app({**app_config, "RATELIMIT_STORAGE_URI": os.environ[
        "DIAGNOSTIC_TEST_REDIS_URL"], "TEST_RULE": "100/hour;2/minute", "OTHER": "2/hour;50/day"})
    pipelines = []
    original = Pipeline.execute
    monkeypatch.setattr(Pipeline, "execute",
                        lambda self, *a, **k: pipelines.append(self) or original(self, *a, **k))
    with app.test_request_context():
        limits.require("TEST_RULE", address)  # the script is loaded by a first plain check
        limits.require("OTHER", address)
        for _ in range(2):
            limits.require("TEST_RULE", address)
            limits.require("OTHER", address)
            limits.count("TEST_RULE", address)
            limits.count("OTHER", address)
        assert pipelines  # the checks went through one pipeline each
        with pytest.raises(limits.Limited):  # the second limit of the rule
            limits.require("TEST_RULE", address)
        with pytest.raises(limits.Limited):  # the first limit of the rule
            limits.require("OTHER", address)
        limits.clear("TEST_RULE", address)
        limits.clear("OTHER", address)
        limits.require("TEST_RULE", address)
