import pytest


@pytest.mark.django_db
def test_login_page_speaks_indonesian(client):
    response = client.get("/masuk/")
    assert response.status_code == 200
    assert "Masuk ke Selaras" in response.content.decode()


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/masuk/" in response["Location"]


def test_api_health(client):
    assert client.get("/api/health").json() == {"status": "ok"}
