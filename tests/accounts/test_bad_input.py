"""Bad input on every form gets a clear message, linked to its field, and stores nothing."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts import emails
from accounts.models import Profile

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup(client, email, display_name="Neighbour", password=PASSWORD):
    return client.post(
        reverse("account_signup"),
        {"display_name": display_name, "email": email, "password1": password, "password2": password},
    )


def image_file(size=(64, 64), fmt="PNG", name="me.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 98, 58)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def assert_field_error(response, field, text):
    content = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert text in content, content[:3000]
    assert f'id="id_{field}_error"' in content
    assert 'aria-describedby="' in content and f"id_{field}_error" in content.split(f'name="{field}"')[1].split(">")[0]


# --- e-mail addresses -------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "ann@example.org",
        "ANN@Example.ORG",
        " ann@example.org ",
        "ａｎｎ@ｅｘａｍｐｌｅ.org",  # full-width
    ],
)
def test_taken_address_in_any_case_or_width(client, make_resident, address):
    make_resident(email="ann@example.org")
    before = User.objects.count()
    response = signup(client, address)
    assert_field_error(response, "email", "already exists")
    assert User.objects.count() == before


@pytest.mark.parametrize(
    "address",
    [
        "ann@exаmple.org",  # Cyrillic а in the domain
        "a.nn@example.org",
        "ann+news@example.org",
        "anп@example.org".replace("п", "n") .replace("ann", "аnn") if False else "ann@examp1e.org",
        "ann@ехample.org",  # Cyrillic е and х
    ],
)
def test_look_alike_address(client, make_resident, address):
    make_resident(email="ann@example.org")
    before = (User.objects.count(), EmailAddress.objects.count(), Profile.objects.count())
    response = signup(client, address)
    assert_field_error(response, "email", "looks too much like")
    assert (User.objects.count(), EmailAddress.objects.count(), Profile.objects.count()) == before


def test_skeletons_fold_look_alikes():
    assert emails.skeleton("Ann@Example.org") == emails.skeleton("ann@exаmple.org")
    assert emails.skeleton("rn@x.org") == emails.skeleton("m@x.org")
    assert emails.skeleton("bob@x.org") != emails.skeleton("rob@x.org")
    assert emails.normalize(" ＡＮＮ@Example.ORG ") == "ann@example.org"
    assert emails.normalize("ann@bücher.example") == "ann@xn--bcher-kva.example"


def test_adding_a_look_alike_address_is_refused(client, make_resident):
    make_resident(email="ann@example.org")
    other = make_resident(email="zed@example.org")
    client.force_login(other)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "ANN@exаmple.org"})
    assert response.status_code == 200
    assert b"looks too much like" in response.content or b"already exists" in response.content
    assert not EmailAddress.objects.filter(user=other).exclude(email="zed@example.org").exists()


def test_overlong_and_malformed_signup_fields(client, db):
    response = signup(client, "x" * 250 + "@example.org", display_name="d" * 81)
    content = response.content.decode()
    assert response.status_code == 200
    assert "at most 80 characters" in content
    assert 'id="id_email_error"' in content and 'id="id_display_name_error"' in content
    response = signup(client, "not-an-address")
    assert 'id="id_email_error"' in response.content.decode()
    response = signup(client, "ok@example.org", display_name="   \u200b ")
    assert 'id="id_display_name_error"' in response.content.decode()
    assert not User.objects.exists()


def test_weak_password_is_refused(client, db):
    response = signup(client, "weak@example.org", password="password")
    assert_field_error(response, "password1", "too common")
    assert not User.objects.exists()


def test_expired_verification_link(client, settings, make_resident):
    from allauth.account.models import EmailConfirmationHMAC

    user = make_resident(email="late@example.org", verified=False)
    address = EmailAddress.objects.get(user=user)
    key = EmailConfirmationHMAC(address).key
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = -1
    response = client.post(reverse("account_confirm_email", args=[key]))
    address.refresh_from_db()
    assert not address.verified
    assert response.status_code in (200, 404)
    assert b"expired or is invalid" in client.get(reverse("account_confirm_email", args=[key])).content


def test_expired_login_code(client, settings, make_resident):
    from django.core import mail

    from .conftest import code_in, last_email_to

    make_resident(email="slow@example.org")
    settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 0
    client.post(reverse("account_request_login_code"), {"email": "slow@example.org"})
    code = code_in(last_email_to("slow@example.org"))
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302  # back to the start: the pending login expired
    assert mail.outbox


# --- the profile form ---------------------------------------------------------------------


@pytest.fixture
def resident(client, make_resident):
    user = make_resident(email="pic@example.org", display_name="Pic")
    client.force_login(user)
    return user


def profile_post(client, **fields):
    data = {
        "display_name": "Pic",
        "expertise": "",
        "learning_goals": "",
        "ambitions": "",
        "neighbourhood": "",
        **{f"{name}_visibility": "private" for name in ("avatar", "expertise", "learning_goals", "ambitions", "neighbourhood", "listed")},
    }
    data.update(fields)
    return client.post(reverse("accounts:profile_edit"), data)


def test_avatar_that_is_not_an_image(client, resident):
    fake = SimpleUploadedFile("me.png", b"<?php echo 'hi'; ?>" * 10, content_type="image/png")
    response = profile_post(client, avatar=fake, expertise="Solar panels")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Upload a valid image" in content or "not a picture we can read" in content
    assert 'id="id_avatar_error"' in content
    profile = Profile.objects.get(user=resident)
    assert not profile.avatar and profile.expertise == ""


def test_avatar_too_large_in_bytes(client, resident, settings):
    settings.ACCOUNTS_AVATAR_MAX_BYTES = 1000
    response = profile_post(client, avatar=image_file(size=(600, 600), fmt="BMP", name="big.bmp"))
    assert "the largest allowed is" in response.content.decode()
    assert not Profile.objects.get(user=resident).avatar


def test_avatar_too_big_or_too_small_in_pixels(client, resident, settings):
    settings.ACCOUNTS_AVATAR_MAX_SIDE = 100
    response = profile_post(client, avatar=image_file(size=(200, 50)))
    assert "at most 100×100" in response.content.decode()
    response = profile_post(client, avatar=image_file(size=(8, 8)))
    assert "at least 32×32" in response.content.decode()
    assert not Profile.objects.get(user=resident).avatar


def test_avatar_in_a_refused_format(client, resident):
    response = profile_post(client, avatar=image_file(fmt="BMP", name="me.bmp"))
    assert "not accepted" in response.content.decode()
    assert not Profile.objects.get(user=resident).avatar


def test_a_good_avatar_is_stored_privately(client, resident):
    response = profile_post(client, avatar=image_file(name="Jane Doe passport.png"))
    assert response.status_code == 302
    profile = Profile.objects.get(user=resident)
    assert profile.avatar and "Jane" not in profile.avatar.name
    assert profile.avatar.storage.exists(profile.avatar.name)
    # Private by default: not even its URL reaches others.
    client.logout()
    assert client.get(reverse("accounts:avatar", args=[resident.pk])).status_code == 404


def test_overlong_profile_fields(client, resident):
    response = profile_post(client, expertise="e" * 1001, neighbourhood="n" * 101, display_name="d" * 81)
    content = response.content.decode()
    for field in ("expertise", "neighbourhood", "display_name"):
        assert f'id="id_{field}_error"' in content
    profile = Profile.objects.get(user=resident)
    assert profile.expertise == "" and profile.display_name == "Pic"


def test_unknown_visibility(client, resident):
    response = profile_post(client, expertise="Bees", expertise_visibility="everyone-and-their-dog")
    assert 'id="id_expertise_visibility_error"' in response.content.decode() or "valid choice" in response.content.decode()
    assert Profile.objects.get(user=resident).expertise == ""


def test_avatar_name_never_decides_how_it_is_served(client, resident):
    response = profile_post(client, avatar=image_file(name="evil.html"), avatar_visibility="public")
    assert 'id="id_avatar_error"' in response.content.decode()
    assert not Profile.objects.get(user=resident).avatar
    # A PNG named .jpg is stored under a random name and served as what it is.
    profile_post(client, avatar=image_file(name="holiday.jpg"), avatar_visibility="public")
    profile = Profile.objects.get(user=resident)
    assert profile.avatar.name.endswith(".jpg") and "holiday" not in profile.avatar.name
    response = client.get(reverse("accounts:avatar", args=[resident.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
