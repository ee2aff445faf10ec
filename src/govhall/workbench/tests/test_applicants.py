from govhall.accounts.services import find_applicant
from govhall.core.audit.models import AuditEvent


def test_lookup_is_masked_and_revealing_is_audited(staff_client):
    client = staff_client("city_admin")
    person = find_applicant("13800000001")
    html = client.get("/workbench/applicants/", {"identifier": "13800000001"}).content.decode()
    assert "138****0001" in html
    assert person.person.document_number not in html
    html = client.post(f"/workbench/applicants/{person.pk}/reveal/", {"reason": ""}).content.decode()
    assert person.person.document_number not in html
    html = client.post(f"/workbench/applicants/{person.pk}/reveal/", {"reason": "核实投诉人身份"}).content.decode()
    assert person.person.document_number in html
    event = AuditEvent.objects.get(action="personal_data.revealed")
    assert event.reason == "核实投诉人身份"
    assert event.object_id == str(person.pk)


def test_other_roles_cannot_look_up_applicants(staff_client):
    assert staff_client("amr_acceptor").get("/workbench/applicants/").status_code == 403
    person = find_applicant("13800000001")
    response = staff_client("auditor").post(f"/workbench/applicants/{person.pk}/reveal/", {"reason": "好奇"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="personal_data.revealed").exists()
