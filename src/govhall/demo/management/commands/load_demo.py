"""Load the Changchun demo data set (idempotent; refused under production settings)."""

from __future__ import annotations

import base64
import hashlib

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.cn import ric

from govhall.accounts import registration
from govhall.accounts import services as account_services
from govhall.accounts.models import PrivacyNotice, User
from govhall.applications import demo as applications_demo
from govhall.appointments import demo as appointments_demo
from govhall.catalog import demo as catalog_demo
from govhall.core.validators import IdentityDocumentType, uscc_from_parts
from govhall.demo import data
from govhall.directory import queries as directory_queries
from govhall.directory.models import Department, Region, ServiceCentre, SubHall, Window
from govhall.feedback import demo as feedback_demo
from govhall.licenses import demo as licenses_demo
from govhall.notifications import services as notifications

PRIVACY_NOTICE = """长春市网上办事大厅依据《中华人民共和国个人信息保护法》处理您的个人信息：
1. 我们收集姓名、证件类型及号码、手机号码，仅用于实名认证、办理政务服务事项和向您发送办理进度通知；
2. 证件号码与手机号码加密存储，在列表中脱敏显示，工作人员查看完整信息均留有审计记录；
3. 办件材料和结果依照档案管理规定保存；您可以随时注销账号，法律要求保存的办件记录除外；
4. 如有疑问，请拨打12345政务服务便民热线。"""


class Command(BaseCommand):
    help = "Load the Changchun demo data set: regions, sub-halls, centres, departments, demo users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--catalog",
            choices=catalog_demo.CATALOGS,
            default="full",
            help="demo service items: full (80+, default) or core (the five the tests use; faster)",
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("load_demo is refused under production settings (GOVHALL_ENV=production).")
        with transaction.atomic():
            regions = self.load_regions()
            centres = self.load_centres(regions)
            departments = self.load_departments(regions, centres)
            self.load_windows(centres, departments)
            self.load_privacy_notice()
            notifications.ensure_templates()
            staff = self.load_staff(regions, departments, centres)
            people = self.load_people()
            catalog_demo.load(User.objects.get(username="city_admin"), options["catalog"])
        directory_queries.bump_version()
        if "seed_calendar" in _commands():
            call_command("seed_calendar", verbosity=0)
        appointments_demo.load()
        if options["catalog"] == "full":  # the test fixtures (core catalog) add them where a test needs them
            # The city root and a signing certificate per department first: an approved demo
            # application gets its e-license at once, as in production.
            call_command("init_pki", verbosity=0)
            applications_demo.load()
            licenses_demo.load()  # after the applications: 张三's next application takes it from the library
            feedback_demo.load()  # issue 10: consultations, a complaint, evaluations
        self.print_credentials(staff, people)

    def load_regions(self) -> dict[str, Region]:
        city, _ = Region.objects.update_or_create(
            code="220100", defaults={"name": "长春市", "name_en": "Changchun", "kind": "city", "parent": None}
        )
        regions = {"220100": city}
        for order, (code, name, name_en, kind, official) in enumerate(data.REGIONS, start=1):
            regions[code], _ = Region.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "kind": kind,
                    "parent": city,
                    "is_official_code": official,
                    "sort_order": order,
                },
            )
            SubHall.objects.update_or_create(
                region=regions[code],
                defaults={
                    "title": f"{name}分厅",
                    "banner_text": f"{name}政务服务“一网通办”",
                    "notice": data.SUB_HALL_NOTICES.get(code, ""),
                    "contact_phone": "12345",
                },
            )
        for code, name, parent, kind in data.STREETS:
            regions[code], _ = Region.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_en": data.STREET_NAMES_EN.get(code, ""),
                    "kind": kind,
                    "parent": regions[parent],
                    "is_official_code": False,
                },
            )
        return regions

    def load_centres(self, regions: dict[str, Region]) -> dict[str, ServiceCentre]:
        centres = {}
        for code, name, level, region, address, phone, hours in data.CENTRES:
            centres[code], _ = ServiceCentre.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_en": data.CENTRE_NAMES_EN.get(code, ""),
                    "level": level,
                    "region": regions[region],
                    "address": address,
                    "phone": phone,
                    "office_hours": hours,
                },
            )
            sub_hall = SubHall.objects.filter(region=regions[region]).first()
            if sub_hall and level == "district" and not sub_hall.contact_address:
                SubHall.objects.filter(pk=sub_hall.pk).update(contact_address=address, contact_phone=phone)
        return centres

    def load_departments(self, regions, centres) -> dict[str, Department]:
        departments: dict[str, Department] = {}
        city = regions["220100"]
        for index, (name, short, name_en, phone, complaint, in_centre) in enumerate(data.CITY_DEPARTMENTS, start=1):
            departments[name], _ = Department.objects.update_or_create(
                region=city,
                name=name,
                defaults={
                    "short_name": short,
                    "name_en": name_en,
                    "level": "city",
                    "uscc": uscc_from_parts("11220100", f"MB{index:06d}"),
                    "centre": centres["cc-city"] if in_centre else centres["cc-city-realty"],
                    "consultation_phone": phone,
                    "complaint_phone": complaint,
                },
            )
        district_centres = {centre.region.code: centre for centre in centres.values() if centre.level == "district"}
        for index, (name, region, parent, phone, complaint) in enumerate(data.DISTRICT_DEPARTMENTS, start=1):
            departments[name], _ = Department.objects.update_or_create(
                region=regions[region],
                name=name,
                defaults={
                    "level": "district",
                    "uscc": uscc_from_parts(f"11{region}", f"MC{index:06d}"),
                    "parent": departments.get(parent),
                    "centre": district_centres.get(region),
                    "consultation_phone": phone,
                    "complaint_phone": complaint,
                },
            )
        return departments

    def load_windows(self, centres, departments) -> None:
        for _code, centre in centres.items():
            comprehensive = 6 if centre.level == "city" else 3 if centre.level == "district" else 1
            for number in range(1, comprehensive + 1):
                Window.objects.update_or_create(
                    centre=centre,
                    number=f"{number:02d}",
                    defaults={"name": f"综合受理窗口{number}", "kind": "comprehensive", "area": "综合受理区"},
                )
            resident = [d for d in departments.values() if d.centre_id == centre.pk]
            for offset, department in enumerate(resident, start=comprehensive + 1):
                Window.objects.update_or_create(
                    centre=centre,
                    number=f"{offset:02d}",
                    defaults={
                        "name": f"{department.short_name or department.name}窗口",
                        "kind": "specialised",
                        "department": department,
                        "area": "专业办理区",
                    },
                )

    def load_privacy_notice(self) -> None:
        PrivacyNotice.objects.get_or_create(
            version="2026.1",
            defaults={
                "title": "长春市网上办事大厅隐私政策",
                "body": PRIVACY_NOTICE,
                "published_at": timezone.now(),
            },
        )

    def load_staff(self, regions, departments, centres) -> list[tuple[User, str]]:
        staff = []
        for username, name, role, scope_kind, scope_key in data.DEMO_STAFF:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = account_services.create_staff(username=username, name=name, password=data.DEMO_PASSWORD, by=None)
            scope = {"region": regions, "department": departments, "centre": centres}[scope_kind][scope_key]
            account_services.assign_role(user, role, scope, by=None)
            if username != data.UNENROLLED_STAFF:
                TOTPDevice.objects.get_or_create(
                    user=user, name="demo", defaults={"key": demo_totp_key(username), "confirmed": True}
                )
            staff.append((user, role))
        return staff

    def load_people(self) -> list[User]:
        notice = registration.current_notice()
        people = []
        for name, body, mobile in data.DEMO_PEOPLE:
            number = body + ric.calc_check_digit(body + "0")
            user = account_services.find_applicant(mobile)
            if user is None:
                user = registration.create_person(
                    name=name,
                    document_type=IdentityDocumentType.RESIDENT_ID,
                    document_number=number,
                    mobile=mobile,
                    password=data.DEMO_PASSWORD,
                    verified_by="demo",
                    notice=notice,
                )
            people.append(user)
        return people

    def print_credentials(self, staff, people) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Demo accounts (password: {data.DEMO_PASSWORD}):"))
        self.stdout.write("  Staff log in at /workbench/ with password + TOTP. Add the secret to an authenticator app,")
        self.stdout.write("  or print the current code with: .venv/bin/python manage.py demo_totp USERNAME")
        for user, role in staff:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            secret = base64.b32encode(device.bin_key).decode() if device else "(enrols at first login)"
            self.stdout.write(f"  staff   {user.username:<16} {role:<17} TOTP {secret}")
        for user in people:
            self.stdout.write(f"  citizen {user.mobile:<16} {user.name}")


def demo_totp_key(username: str) -> str:
    """A fixed TOTP key per demo account, so the printed secrets stay valid across reloads."""
    return hashlib.sha1(f"govhall-demo:{username}".encode()).hexdigest()  # noqa: S324 (demo only)


def _commands() -> set[str]:
    from django.core.management import get_commands

    return set(get_commands())
