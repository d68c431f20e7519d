"""Sign-in, invitation and password forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from portal.accounts.passwords import MAX_LENGTH, MIN_LENGTH


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired("Enter your email address.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    next = StringField()


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[
            DataRequired("Choose a password."),
            Length(min=MIN_LENGTH, max=MAX_LENGTH,
                   message=f"Use at least {MIN_LENGTH} characters (and at most {MAX_LENGTH})."),
        ],
        description=f"At least {MIN_LENGTH} characters. A passphrase of a few unrelated words is easy "
                    "to remember and hard to guess.",
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired("Repeat the password."), EqualTo("password", "The two passwords don't match.")],
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])


class ResetRequestForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired("Enter your email address."), Email("Enter a valid email address.")],
        description="The address your program team invited you with.",
    )
