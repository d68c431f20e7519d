"""Change your name, time zone and password."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal.accounts import AccountError
from portal.accounts.people import WrongPassword, change_password
from portal.blueprints.account import bp
from portal.blueprints.account.forms import AccountSettingsForm
from portal.blueprints.auth.forms import ChangePasswordForm
from portal.blueprints.auth.routes import sign_in
from portal.extensions import db


@bp.route("", methods=["GET", "POST"])
@login_required
def edit_settings():
    """Show and save the signed-in person's name and time zone."""
    form = AccountSettingsForm(obj=current_user)
    if form.validate_on_submit():
        form.populate_obj(current_user)
        db.session.commit()
        flash("Your settings are saved.", "success")
        return redirect(url_for("account.edit_settings"))
    return render_template("account/settings.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_own_password():
    """Change the password; every other browser signed in as this person is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.password.data)
        except WrongPassword as error:
            db.session.rollback()
            form.current_password.errors.append(str(error))
        except AccountError as error:
            db.session.rollback()
            form.password.errors.append(str(error))
        else:
            sign_in(current_user._get_current_object())
            flash("Your password is changed. Other devices signed in as you have been signed out.", "success")
            return redirect(url_for("account.edit_settings"))
    return render_template("account/password.html", form=form)
