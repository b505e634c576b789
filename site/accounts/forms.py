"""Forms residents fill in: sign-up, adding an address, their profile, nominations, joining."""

import unicodedata

from allauth.account import forms as allauth_forms
from allauth.account.fields import EmailField
from django import forms
from django.utils.translation import gettext_lazy as _

from . import emails
from .models import PERSONAL_FIELDS, NominationKind, Profile, Visibility


def clean_text(value):
    """One normal form for names and short texts: NFKC, no control characters, trimmed."""
    value = unicodedata.normalize("NFKC", value or "")
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return value.strip()


def refuse_conflicting_email(email, user=None):
    problem = emails.conflict(email, user=user)
    if problem == "taken":
        raise forms.ValidationError(
            _("An account with this e-mail address already exists. Sign in, or reset your password."),
            code="email_taken",
        )
    if problem == "lookalike":
        raise forms.ValidationError(
            _(
                "This address looks too much like one already in use here. If it is yours, "
                "sign in with that one; otherwise check for look-alike characters."
            ),
            code="email_lookalike",
        )


class NormalizedEmailField(EmailField):
    """An address in its stored form (``emails.normalize``) before it is validated, so
    full-width or mixed-case input is judged as what it will become; at most 254 characters
    (RFC 5321), 64 of them before the @."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = emails.normalize(super().to_python(value))
        return value

    def validate(self, value):
        super().validate(value)
        if value and len(value.rpartition("@")[0]) > 64:
            raise forms.ValidationError(
                _("The part before the @ can be at most 64 characters long."), code="local_too_long"
            )


def use_normalized_email(form, name="email"):
    old = form.fields[name]
    form.fields[name] = NormalizedEmailField(label=old.label, required=old.required, widget=old.widget)


class SignupForm(allauth_forms.SignupForm):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("Shown to everyone, with your contributions. It need not be your real name."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    field_order = ["display_name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_normalized_email(self)

    def clean_display_name(self):
        value = clean_text(self.cleaned_data["display_name"])
        if not value:
            raise forms.ValidationError(_("Choose a display name."), code="required")
        return value

    def clean_email(self):
        # A taken or look-alike address gets a clear message here, and nothing is stored.
        # (Sign-up therefore tells whether an address has an account; it is rate-limited
        # per IP. Password reset and login by code still do not tell.)
        email = emails.normalize(self.cleaned_data["email"])
        refuse_conflicting_email(email)
        return super().clean_email()

    def custom_signup(self, request, user):
        from .services.profiles import create_profile

        super().custom_signup(request, user)
        create_profile(user, display_name=self.cleaned_data["display_name"])


class AddEmailForm(allauth_forms.AddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_normalized_email(self)

    def clean_email(self):
        email = emails.normalize(self.cleaned_data["email"])
        refuse_conflicting_email(email, user=self.user)
        return super().clean_email()


# Every other door that takes an address looks it up in the same normal form as sign-up
# stored it (issue 15, kind 4): "Anna@Bücher.example" signs in the account stored as
# "anna@xn--bcher-kva.example", and the rate limits count per stored address, not per spelling.
class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_normalized_email(self, "login")


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_normalized_email(self)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_normalized_email(self)


class ChangeEmailForm(allauth_forms.ChangeEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_normalized_email(self)


class ProfileForm(forms.ModelForm):
    """Display name, picture, the personal fields and, beside each, who may see it."""

    remove_avatar = forms.BooleanField(label=_("Remove my picture"), required=False)

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "avatar",
            "avatar_visibility",
            "expertise",
            "expertise_visibility",
            "learning_goals",
            "learning_goals_visibility",
            "ambitions",
            "ambitions_visibility",
            "neighbourhood",
            "neighbourhood_visibility",
            "listed_visibility",
        ]
        widgets = {
            "avatar": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
            **{f"{name}_visibility": forms.RadioSelect for name in (*PERSONAL_FIELDS, "listed")},
            **{name: forms.Textarea(attrs={"rows": 3}) for name in ("expertise", "learning_goals", "ambitions")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (*PERSONAL_FIELDS, "listed"):
            # No empty choice: every field always has one of the three.
            self.fields[f"{name}_visibility"].choices = Visibility.choices

    def clean_display_name(self):
        value = clean_text(self.cleaned_data["display_name"])
        if not value:
            raise forms.ValidationError(_("Choose a display name."), code="required")
        return value

    def _clean_text_field(self, name):
        return clean_text(self.cleaned_data.get(name))

    def clean_expertise(self):
        return self._clean_text_field("expertise")

    def clean_learning_goals(self):
        return self._clean_text_field("learning_goals")

    def clean_ambitions(self):
        return self._clean_text_field("ambitions")

    def clean_neighbourhood(self):
        return self._clean_text_field("neighbourhood")

    def sections(self):
        """(field, visibility field) pairs in the form's order, for the template."""
        return [(self[name], self[f"{name}_visibility"]) for name in PERSONAL_FIELDS]


class NominationForm(forms.Form):
    nominee = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Nominate as"), choices=NominationKind.choices)
    topic = forms.CharField(
        label=_("Topic"),
        max_length=60,
        required=False,
        help_text=_("For an authority: construction, energy, jeu de boules…"),
    )

    def clean_topic(self):
        return clean_text(self.cleaned_data.get("topic")).casefold()

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("kind") == NominationKind.AUTHORITY and not cleaned_data.get("topic"):
            self.add_error("topic", forms.ValidationError(_("Name the topic."), code="required"))
        if cleaned_data.get("kind") == NominationKind.AMBASSADOR:
            cleaned_data["topic"] = ""
        return cleaned_data


class JoinForm(forms.Form):
    role = forms.ChoiceField(label=_("Join as"), widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        from governance.models import Role

        super().__init__(*args, **kwargs)
        # Frontrunners are appointed by frontrunners, never chosen when joining.
        self.fields["role"].choices = [
            (Role.PARTICIPANT, Role.PARTICIPANT.label),
            (Role.SUPPORTER, Role.SUPPORTER.label),
        ]
        self.fields["role"].initial = Role.PARTICIPANT
