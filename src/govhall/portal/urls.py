from django.urls import path

from govhall.portal.views import accounts, appointments, catalog, directory, feedback, search
from govhall.portal.views import applications as online
from govhall.portal.views import licenses as license_wallet
from govhall.portal.views import pre_review as pre_review_views
from govhall.portal.views import verify as license_verify

app_name = "portal"

urlpatterns = [
    path("", directory.home, name="home"),
    path("personal/", directory.entrance, {"audience": "personal"}, name="personal"),
    path("enterprise/", directory.entrance, {"audience": "enterprise"}, name="enterprise"),
    path("sub-halls/", directory.sub_halls, name="sub_halls"),
    path("sub-halls/<str:code>/", directory.sub_hall, name="sub_hall"),
    path("centres/", directory.centres, name="centres"),
    path("centres/<slug:code>/", directory.centre, name="centre"),
    path("departments/", directory.departments, name="departments"),
    path("display/elder-mode/", directory.elder_mode, name="elder_mode"),
    path("accounts/login/", accounts.login, name="login"),
    path("accounts/logout/", accounts.logout, name="logout"),
    path("accounts/register/", accounts.register, {"kind": "person"}, name="register"),
    path("accounts/register/enterprise/", accounts.register, {"kind": "enterprise"}, name="register_enterprise"),
    path("accounts/reset/", accounts.reset_password, name="reset_password"),
    path("accounts/", accounts.account, name="account"),
    path("accounts/operators/", accounts.add_operator, name="add_operator"),
    path("accounts/operators/<int:authorisation_id>/revoke/", accounts.revoke_operator, name="revoke_operator"),
    path("accounts/cancel/", accounts.cancel_account, name="cancel_account"),
    path("items/<str:code>/", catalog.item, name="item"),
    path("items/<str:code>/guide.pdf", catalog.guide_pdf, name="item_pdf"),
    path(
        "items/<str:code>/materials/<int:order>/<str:kind>/",
        catalog.material_file,
        name="material_file",
    ),
    path("catalog/export.json", catalog.catalog_export, name="catalog_export"),
    path("search/", search.search, name="search"),
]

urlpatterns += [  # 预约办理 (issue 6): the booking flow from a guide page, and my bookings
    path("appointments/", appointments.mine, name="appointments"),
    path("appointments/<int:pk>/", appointments.detail, name="appointment"),
    path("appointments/<int:pk>/cancel/", appointments.cancel, name="appointment_cancel"),
    path("appointments/<int:pk>/reschedule/", appointments.reschedule, name="appointment_reschedule"),
    path("appointments/book/<str:code>/", appointments.choose_centre, name="appointment_book"),
    path("appointments/book/<str:code>/slot/<int:slot_id>/", appointments.confirm, name="appointment_confirm"),
    path("appointments/book/<str:code>/<slug:centre>/", appointments.choose_day, name="appointment_days"),
    path("appointments/book/<str:code>/<slug:centre>/<str:day>/", appointments.choose_slot, name="appointment_slots"),
]

urlpatterns += [  # issue 8: the short booking link of the pre-review SMS
    path("b/<str:number>/", pre_review_views.book_for_application, name="pre_review_booking"),
]

urlpatterns += [  # 在线办理 (issue 7): apply from a guide page, my applications, public progress query
    path("progress/", online.progress, name="progress"),
    path("applications/", online.mine, name="applications"),
    path("applications/apply/<str:code>/", online.start, name="application_start"),
    path("applications/<uuid:uid>/", online.detail, name="application"),
    path("applications/<uuid:uid>/form/", online.fill_form, name="application_form"),
    path("applications/<uuid:uid>/materials/", online.materials, name="application_materials"),
    path("applications/<uuid:uid>/materials/<int:pk>/remove/", online.remove_file, name="application_remove_file"),
    path("applications/<uuid:uid>/review/", online.review, name="application_review"),
    path("applications/<uuid:uid>/files/<int:pk>/", online.material_file, name="application_file"),
    path("applications/<uuid:uid>/notices/<int:notice_id>.pdf", online.notice_pdf, name="application_notice"),
    path("applications/<uuid:uid>/correction/", online.correct, name="application_correct"),
    path("applications/<uuid:uid>/withdraw/", online.withdraw, name="application_withdraw"),
]

urlpatterns += [  # 证照核验 (issue 9): public verification, the QR short URL, the published root and CRLs
    path("verify/", license_verify.verify, name="verify"),
    path("verify/<str:identifier>/", license_verify.verify_identifier, name="verify_identifier"),
    path("pki/root.crt", license_verify.root_certificate, name="pki_root"),
    path("pki/crl/<str:issuer>.crl", license_verify.crl, name="pki_crl"),
]

urlpatterns += [  # 我的证照 (issue 9 step 2): the wallet, downloads, one-time share links
    path("licenses/", license_wallet.mine, name="licenses"),
    path("licenses/shared/<str:token>/", license_wallet.shared, name="license_shared"),
    path("licenses/<str:identifier>/", license_wallet.detail, name="license"),
    path("licenses/<str:identifier>/license.<str:kind>", license_wallet.download, name="license_download"),
    path("licenses/<str:identifier>/share/", license_wallet.share, name="license_share"),
]

urlpatterns += [  # 咨询投诉与好差评 (issue 10): ask, complain, my cases and evaluations, public satisfaction
    path("feedback/ask/", feedback.ask, name="feedback_ask"),
    path("feedback/ask/<str:code>/", feedback.ask, name="feedback_ask_item"),
    path("feedback/consultations/", feedback.my_consultations, name="feedback_consultations"),
    path("feedback/consultations/<int:pk>/", feedback.consultation, name="feedback_consultation"),
    path("feedback/complain/", feedback.complain, name="feedback_complain"),
    path("feedback/complaints/", feedback.my_complaints, name="feedback_complaints"),
    path("feedback/complaints/<int:pk>/", feedback.complaint, name="feedback_complaint"),
    path("feedback/complaints/<int:pk>/reopen/", feedback.reopen, name="feedback_complaint_reopen"),
    path("feedback/complaints/<int:pk>/files/<int:attachment_id>/", feedback.attachment, name="feedback_attachment"),
    path("feedback/evaluations/", feedback.my_evaluations, name="feedback_evaluations"),
    path("feedback/evaluations/<int:pk>/rate/", feedback.rate, name="feedback_rate"),
    path("feedback/satisfaction/", feedback.satisfaction, name="feedback_satisfaction"),
]
