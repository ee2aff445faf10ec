"""Who uses the hall: natural persons, legal persons with their authorised operators, and staff.

Identity and mobile numbers are personal data: encrypted at rest with a keyed hash beside them for
lookups and uniqueness (ARCHITECTURE.md, "Personal data is minimal and protected").
"""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhall.core.crypto import EncryptedTextField, mask_id_number, mask_mobile
from govhall.core.validators import IdentityDocumentType
from govhall.directory.models import Department, Region, ServiceCentre


class UserKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ENTERPRISE = "enterprise", _("法人")
    STAFF = "staff", _("工作人员")


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("市政务公开办管理员")
    DISTRICT_ADMIN = "district_admin", _("区县政务公开办管理员")
    DEPARTMENT_ADMIN = "department_admin", _("部门管理员")
    DEPARTMENT_HEAD = "department_head", _("部门负责人")
    GUIDE_EDITOR = "guide_editor", _("指南编辑")
    ACCEPTOR = "acceptor", _("受理人员")
    WINDOW_STAFF = "window_staff", _("综合窗口人员")
    REVIEWER = "reviewer", _("审查人员")
    DECIDER = "decider", _("决定人员")
    RESPONDER = "responder", _("咨询投诉答复人员")
    AUDITOR = "auditor", _("审计人员")


class ScopeKind(models.TextChoices):
    DEPARTMENT = "department", _("部门")
    REGION = "region", _("区划")
    CENTRE = "centre", _("服务中心")


# Every role has exactly one kind of scope: the table the constraint and the forms both read.
ROLE_SCOPE: dict[str, str] = {
    Role.CITY_ADMIN: ScopeKind.REGION,
    Role.DISTRICT_ADMIN: ScopeKind.REGION,
    Role.AUDITOR: ScopeKind.REGION,
    Role.DEPARTMENT_ADMIN: ScopeKind.DEPARTMENT,
    Role.DEPARTMENT_HEAD: ScopeKind.DEPARTMENT,
    Role.GUIDE_EDITOR: ScopeKind.DEPARTMENT,
    Role.ACCEPTOR: ScopeKind.DEPARTMENT,
    Role.REVIEWER: ScopeKind.DEPARTMENT,
    Role.DECIDER: ScopeKind.DEPARTMENT,
    Role.RESPONDER: ScopeKind.DEPARTMENT,
    Role.WINDOW_STAFF: ScopeKind.CENTRE,
}


class GovhallUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("kind", UserKind.STAFF)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """One login. ``kind`` says which profile (person, enterprise, staff) carries the details.

    Applicants log in with their mobile number, identity number or USCC (resolved through the keyed
    hashes); ``username`` is the staff login name or a generated account number for applicants.
    """

    username = models.CharField(_("账号"), max_length=50, unique=True)
    kind = models.CharField(_("账户类型"), max_length=12, choices=UserKind.choices)
    name = models.CharField(_("姓名/名称"), max_length=100)
    email = models.EmailField(_("电子邮箱"), blank=True)
    mobile = EncryptedTextField(_("手机号码"), blank=True)
    mobile_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    mobile_verified_at = models.DateTimeField(_("手机验证时间"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    is_staff = models.BooleanField(_("可登录管理后台"), default=False)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("注销时间"), null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    preferred_language = models.CharField(_("界面语言"), max_length=10, blank=True)

    objects = GovhallUserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(name="user_kind_valid", condition=Q(kind__in=[choice.value for choice in UserKind])),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.username}）"

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def is_applicant(self) -> bool:
        return self.kind in (UserKind.PERSON, UserKind.ENTERPRISE)

    @cached_property
    def active_assignments(self) -> list[RoleAssignment]:
        """Loaded once per request; predicates read roles from here, not from groups."""
        if self.kind != UserKind.STAFF or not self.is_active:
            return []
        return list(RoleAssignment.objects.active().filter(user=self).select_related("region", "department"))

    def has_role(
        self,
        role: str,
        *,
        department: int | None = None,
        region: int | None = None,
        centre: int | None = None,
    ) -> bool:
        """Does an active assignment of ``role`` cover the given scope?

        A region-scoped role covers its region's descendants; without a scope argument the question
        is "does the user hold this role anywhere".
        """
        for assignment in self.active_assignments:
            if assignment.role != role:
                continue
            if department is None and region is None and centre is None:
                return True
            if department is not None and assignment.department_id == department:
                return True
            if centre is not None and assignment.centre_id == centre:
                return True
            if region is not None and assignment.region_id in self._ancestors(region):
                return True
        return False

    def _ancestors(self, region_id: int) -> set[int]:
        """``region_ancestor_ids``, remembered for this user object (one request's permission checks)."""
        cache = self.__dict__.setdefault("_region_ancestors", {})
        if region_id not in cache:
            cache[region_id] = region_ancestor_ids(region_id)
        return cache[region_id]


def region_ancestor_ids(region_id: int) -> set[int]:
    """The region and every region above it (the tree is three levels deep: one query per level)."""
    ids: set[int] = set()
    current: int | None = region_id
    while current is not None and current not in ids:
        ids.add(current)
        current = Region.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return ids


class PersonProfile(models.Model):
    """A natural person's real-name identity (STANDARDS.md, "Real-name registration")."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="person")
    document_type = models.CharField(_("证件类型"), max_length=20, choices=IdentityDocumentType.choices)
    document_number = EncryptedTextField(_("证件号码"))
    document_hash = models.CharField(max_length=64, unique=True, editable=False)
    verified_at = models.DateTimeField(_("实名核验时间"), null=True, blank=True)
    verified_by = models.CharField(_("核验方式"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("自然人信息")
        verbose_name_plural = _("自然人信息")

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} {self.masked_document_number}"

    @property
    def masked_document_number(self) -> str:
        return mask_id_number(self.document_number)


class EnterpriseProfile(models.Model):
    """A legal person: its USCC and its legal representative's verified identity."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="enterprise")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=100)
    representative_document_type = models.CharField(
        _("法定代表人证件类型"), max_length=20, choices=IdentityDocumentType.choices
    )
    representative_document_number = EncryptedTextField(_("法定代表人证件号码"))
    representative_document_hash = models.CharField(max_length=64, editable=False)
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("法人信息")
        verbose_name_plural = _("法人信息")

    def __str__(self) -> str:
        return f"{self.user.name}（{self.uscc}）"


class OperatorScope(models.TextChoices):
    ALL = "all", _("全部事项")
    APPLY = "apply", _("仅申请办理")
    QUERY = "query", _("仅查询")


class OperatorAuthorisationQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, valid_from__lte=at, valid_until__gt=at)


class OperatorAuthorisation(models.Model):
    """An enterprise authorises a registered natural person as its operator (经办人)."""

    enterprise = models.ForeignKey(EnterpriseProfile, on_delete=models.CASCADE, related_name="operators")
    operator = models.ForeignKey(User, on_delete=models.CASCADE, related_name="operator_authorisations")
    scope = models.CharField(_("授权范围"), max_length=10, choices=OperatorScope.choices, default=OperatorScope.ALL)
    valid_from = models.DateTimeField(_("生效时间"), default=timezone.now)
    valid_until = models.DateTimeField(_("失效时间"))
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = OperatorAuthorisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("经办人授权")
        verbose_name_plural = _("经办人授权")
        constraints = [
            models.CheckConstraint(
                name="operator_validity_ordered", condition=Q(valid_until__gt=models.F("valid_from"))
            ),
            models.UniqueConstraint(
                fields=["enterprise", "operator"],
                condition=Q(revoked_at__isnull=True),
                name="operator_one_open_authorisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator.name} → {self.enterprise}（{self.get_scope_display()}）"


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, valid_from__lte=at).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=at)
        )


class RoleAssignment(models.Model):
    """A staff member holds a role within exactly one scope (department, region or centre)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.PROTECT)
    region = models.ForeignKey(Region, verbose_name=_("区划"), null=True, blank=True, on_delete=models.PROTECT)
    centre = models.ForeignKey(
        ServiceCentre, verbose_name=_("服务中心"), null=True, blank=True, on_delete=models.PROTECT
    )
    valid_from = models.DateTimeField(_("生效时间"), default=timezone.now)
    valid_until = models.DateTimeField(_("失效时间"), null=True, blank=True)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.CheckConstraint(
                name="role_assignment_scope_matches_role",
                condition=(
                    Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == ScopeKind.DEPARTMENT],
                        department__isnull=False,
                        region__isnull=True,
                        centre__isnull=True,
                    )
                    | Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == ScopeKind.REGION],
                        department__isnull=True,
                        region__isnull=False,
                        centre__isnull=True,
                    )
                    | Q(
                        role__in=[r for r, s in ROLE_SCOPE.items() if s == ScopeKind.CENTRE],
                        department__isnull=True,
                        region__isnull=True,
                        centre__isnull=False,
                    )
                ),
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", "role", scope],
                    condition=Q(revoked_at__isnull=True, **{f"{scope}__isnull": False}),
                    name=f"role_assignment_unique_open_{scope}",
                )
                for scope in ("department", "region", "centre")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user.name}：{self.get_role_display()}（{self.scope_label}）"

    @property
    def scope_label(self) -> str:
        return str(self.department or self.region or self.centre)

    @property
    def scope_key(self) -> str:
        """``department:12`` — the scope as recorded on audit events."""
        kind = ROLE_SCOPE[self.role]
        return f"{kind}:{self.department_id or self.region_id or self.centre_id}"


class PrivacyNotice(models.Model):
    """A version of the privacy notice; registration records consent to the current one."""

    version = models.CharField(_("版本"), max_length=20, unique=True)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    published_at = models.DateTimeField(_("发布时间"))

    class Meta:
        verbose_name = _("隐私政策")
        verbose_name_plural = _("隐私政策")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class Consent(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    notice = models.ForeignKey(PrivacyNotice, on_delete=models.PROTECT, related_name="consents")
    given_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("同意记录")
        verbose_name_plural = _("同意记录")
        constraints = [models.UniqueConstraint(fields=["user", "notice"], name="consent_once_per_notice")]

    def __str__(self) -> str:
        return f"{self.user.name}：{self.notice}"


class CodePurpose(models.TextChoices):
    REGISTER = "register", _("注册")
    RESET_PASSWORD = "reset_password", _("找回密码")
    CHANGE_MOBILE = "change_mobile", _("更换手机号")


class VerificationCode(models.Model):
    """A 6-digit SMS code proving a mobile number: 5 minutes, 5 attempts, used once.

    Only a keyed hash of the code is stored; the number is looked up by its keyed hash too.
    """

    purpose = models.CharField(max_length=20, choices=CodePurpose.choices)
    mobile_hash = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["mobile_hash", "purpose", "-created_at"], name="verification_code_lookup")]
        constraints = [
            models.CheckConstraint(
                name="verification_code_purpose_valid",
                condition=Q(purpose__in=[choice.value for choice in CodePurpose]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)


class ApiToken(models.Model):
    """A bearer token for apps and mini-programs. Only a hash is stored; the prefix finds the row.

    Staff obtain one only with password AND a TOTP code, so the API is no way around the second factor.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=50)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
