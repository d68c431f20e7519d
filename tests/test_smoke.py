def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Sign in" in response.get_data(as_text=True)


def test_admin_signs_in(admin_client):
    response = admin_client.get("/")
    assert "Welcome, Dana" in response.get_data(as_text=True)
