from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin import access
from fupin.lib.forms import add_errors
from fupin.lib.pagination import paginate
from fupin.permissions import Perm

from . import actions, lockout, second_factor
from .forms import LoginForm, PasswordResetForm, SecondFactorForm, UserCreateForm, UserEditForm, UserFilterForm
from .middleware import SIGNED_IN_COOKIE, start_lifetime
from .models import User
from .roles import Role

LANDS_ON_INBOX = {Role.VILLAGE_OPERATOR, Role.ASSISTING_CADRE}


def landing_url(user) -> str:
    """Where a user starts: village operators and cadres act more than they read, so on their to-do list."""
    return resolve_url("inbox" if user.role in LANDS_ON_INBOX else "home")


class FupinLoginView(LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_redirect_url(self):
        """A page asked for, except the home page (the site's address): that is where each starts."""
        asked = super().get_redirect_url()
        return "" if asked == resolve_url("home") else asked

    def get_default_redirect_url(self):
        return landing_url(self.request.user)

    def form_valid(self, form):
        response = super().form_valid(form)
        start_lifetime(self.request)
        user = form.get_user()
        if second_factor.required(user):
            actions.record_password_accepted(user=user)
            response["Location"] = (
                resolve_url("accounts:second_factor") + "?" + urlencode({"next": response["Location"]})
            )
        else:
            actions.record_login(user=user)
        response.set_cookie(SIGNED_IN_COOKIE, "1", httponly=True, samesite="Lax")
        return response


login_view = access.public(FupinLoginView.as_view())


@access.scoped
@require_POST
def logout_view(request):
    actions.record_logout(user=request.user)
    logout(request)
    messages.success(request, _("You have logged out."))
    response = redirect("accounts:login")
    response.delete_cookie(SIGNED_IN_COOKIE)
    return response


@access.scoped
def second_factor_view(request):
    """The code of an administrator's authenticator app, after the password; enrolment the first time."""
    user = request.user
    target = request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    if not second_factor.required(user) or second_factor.passed(request):
        return redirect(target or landing_url(user))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor.verify(request, form.cleaned_data["code"]):
            return redirect(target or landing_url(user))
        if lockout.is_locked(user.username):
            logout(request)
            messages.error(
                request, _("Too many wrong codes: this account is locked. A security administrator can unlock it.")
            )
            response = redirect("accounts:login")
            response.delete_cookie(SIGNED_IN_COOKIE)
            return response
        form.add_error("code", _("The code is wrong or was used already. Enter the code your app shows now."))
    enrolling = not second_factor.enrolled(user)
    context = {
        "form": form,
        "enrolling": enrolling,
        "qr_svg": mark_safe(second_factor.qr_svg(user)) if enrolling else "",  # noqa: S308 — segno's own SVG
        "secret": second_factor.secret_for_enrolment(user) if enrolling else "",
    }
    return render(request, "accounts/second_factor.html", context)


@access.scoped
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_own_password(user=request.user, password=form.cleaned_data["new_password1"])
        except ValidationError as e:
            add_errors(form, e, field_map={"password": "new_password1"})
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password has been changed."))
            return redirect(landing_url(request.user))
    return render(request, "accounts/password_change.html", {"form": form})


@access.requires(Perm.VIEW_USERS)
def user_list(request):
    form = UserFilterForm(request.GET)
    users = access.visible_to(User.objects.select_related("region"), request.user)
    if form.is_valid():
        if q := form.cleaned_data["q"].strip():
            users = users.filter(
                Q(username__icontains=q)
                | Q(full_name__icontains=q)
                | Q(phone__icontains=q)
                | Q(region__code__startswith=q)
                | Q(region__name__icontains=q)
            )
        if role := form.cleaned_data["role"]:
            users = users.filter(role=role)
    page = paginate(request, users.order_by("region__code", "username"))
    context = {"form": form, "page": page, "can_create": request.user.has_perm(Perm.MANAGE_USERS)}
    return render(request, "accounts/user_list.html", context)


@access.requires(Perm.MANAGE_USERS)
def user_create(request):
    form = UserCreateForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.create_user(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user})
            return redirect("accounts:user_detail", user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@access.requires(Perm.VIEW_USERS)
def user_detail(request, pk: int):
    user = access.get_object_for_user(User.objects.select_related("region", "created_by"), request.user, pk=pk)
    can_manage = actions.may_manage(request.user, user)
    initial = {
        "full_name": user.full_name,
        "phone": user.phone,
        "role": user.role,
        "region": user.region_id,
        "is_active": user.is_active,
    }
    form = UserEditForm(request.POST or None, by=request.user, initial=initial) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.update_user(by=request.user, user=user, **form.cleaned_data)
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("accounts:user_detail", user.pk)
    context = {
        "subject": user,
        "form": form,
        "reset_form": PasswordResetForm() if can_manage else None,
        "can_unlock": actions.may_unlock(request.user, user),
        "failures": lockout.recent_failures(user.username),
        "locked": lockout.is_locked(user.username),
        "second_factor_enrolled": second_factor.enrolled(user),
    }
    return render(request, "accounts/user_detail.html", context)


@access.requires(Perm.MANAGE_USERS)
@require_POST
def user_reset_password(request, pk: int):
    user = access.get_object_for_user(User.objects.all(), request.user, pk=pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            actions.reset_password(by=request.user, user=user, password=form.cleaned_data["password"])
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Temporary password set; the user must change it at the next login."))
    return redirect("accounts:user_detail", user.pk)


@access.requires(Perm.MANAGE_USERS)
@require_POST
def user_reset_second_factor(request, pk: int):
    user = access.get_object_for_user(User.objects.all(), request.user, pk=pk)
    second_factor.reset(by=request.user, user=user)
    messages.success(request, _("The second factor was reset: the user enrols again at the next login."))
    return redirect("accounts:user_detail", user.pk)


@access.requires(Perm.UNLOCK_ACCOUNTS)
@require_POST
def user_unlock(request, pk: int):
    user = access.get_object_for_user(User.objects.all(), request.user, pk=pk)
    actions.unlock(by=request.user, user=user)
    messages.success(request, _("Account unlocked."))
    return redirect("accounts:user_detail", user.pk)
