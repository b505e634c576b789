def test_platform_home_lists_initiatives(client, make_initiative):
    make_initiative(title="Zonnedak De Kroon")
    response = client.get("/")
    assert response.status_code == 200
    assert "Zonnedak De Kroon" in response.text
