from __future__ import annotations

from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from pwa.views import accounts

app_name = "accounts"

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path(
        "password-reset/",
        accounts.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("welcome/", accounts.welcome, name="welcome"),
    path("profile/", accounts.profile, name="profile"),
    path("profile/routine-reminder/", accounts.routine_reminder, name="routine_reminder"),
    path("export.json", accounts.export_json, name="export_json"),
    path("export.csv", accounts.export_csv, name="export_csv"),
    path("delete/", accounts.delete_account, name="delete"),
]
