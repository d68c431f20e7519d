"""GET /healthz tells a load balancer whether the database and Redis answer."""

from redis import Redis

from portal.jobs import redis_connection


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"database": "ok", "redis": "ok", "status": "ok"}


def test_redis_down_is_reported(app, client):
    working = redis_connection(app)
    app.extensions["portal_redis"] = Redis.from_url("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        response = client.get("/healthz")
    finally:
        app.extensions["portal_redis"] = working
    assert response.status_code == 503
    assert response.json == {"database": "ok", "redis": "error: ConnectionError", "status": "degraded"}
