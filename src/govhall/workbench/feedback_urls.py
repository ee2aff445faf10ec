"""Workbench URLs of feedback (issue 10): queues, consultation and complaint handling, standard
replies, FAQ approval, rectification tasks, appeals and the office's supervision page."""

from django.urls import path

from govhall.workbench.views import feedback

urlpatterns = [
    path("", feedback.queues, name="feedback"),
    path("consultations/<int:pk>/", feedback.consultation, name="feedback_consultation"),
    path("consultations/<int:pk>/answer/", feedback.answer, name="feedback_answer"),
    path("consultations/<int:pk>/transfer/", feedback.transfer, name="feedback_transfer"),
    path("consultations/<int:pk>/faq/", feedback.propose_faq, name="feedback_propose_faq"),
    path("complaints/<int:pk>/", feedback.complaint, name="feedback_complaint"),
    path("complaints/<int:pk>/files/<int:attachment_id>/", feedback.complaint_attachment, name="feedback_attachment"),
    path("complaints/<int:pk>/<slug:action>/", feedback.complaint_action, name="feedback_complaint_action"),
    path("snippets/", feedback.snippets, name="feedback_snippets"),
    path("faqs/", feedback.faqs, name="feedback_faqs"),
    path("rectifications/", feedback.rectifications, name="feedback_rectifications"),
    path("evaluations/<int:pk>/<slug:action>/", feedback.evaluation_action, name="feedback_evaluation_action"),
    path("appeals/", feedback.appeals, name="feedback_appeals"),
    path("supervision/", feedback.supervision_page, name="feedback_supervision"),
]
