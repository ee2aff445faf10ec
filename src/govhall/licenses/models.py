"""Electronic licenses (issue 9, GB/T 36901-36906): certificates, licenses, their status history and
the issuance ledger.

The ledger is the server's own record of what it signed and when. Revocation decisions read it,
never a signing time written inside a PDF (a thief holding a lost key could write any time there).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models import LicenseType
from govhall.core.audit.models import AppendOnlyError, AppendOnlyModel  # noqa: F401 (AppendOnlyError is re-exported)
from govhall.directory.models import Department


class CertificateKind(models.TextChoices):
    ROOT = "root", _("市级根证书")
    DEPARTMENT = "department", _("部门签发证书")


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", _("使用中")
    RETIRED = "retired", _("已轮换（仅用于验证）")
    REVOKED = "revoked", _("已吊销")


class Certificate(models.Model):
    """An X.509 certificate of the hall's PKI; its private key (if held) is encrypted at rest."""

    kind = models.CharField(_("类型"), max_length=12, choices=CertificateKind.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    issuer = models.ForeignKey(
        "self", verbose_name=_("签发者"), null=True, blank=True, on_delete=models.PROTECT, related_name="issued"
    )
    serial_number = models.CharField(_("序列号"), max_length=64, unique=True, help_text=_("十六进制"))
    subject = models.CharField(_("主题"), max_length=500)
    pem = models.TextField(_("证书（PEM）"))
    fingerprint = models.CharField(_("SHA-256 指纹"), max_length=64, unique=True)
    encrypted_key = models.TextField(_("加密的私钥"), blank=True, editable=False)
    backend = models.CharField(_("签名后端"), max_length=40, default="file")
    key_reference = models.CharField(_("密钥标识"), max_length=200, blank=True, help_text=_("HSM 中的密钥标签"))
    not_before = models.DateTimeField(_("生效时间"))
    not_after = models.DateTimeField(_("失效时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.ACTIVE
    )
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revocation_reason = models.CharField(_("吊销原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        ordering = ["kind", "department_id", "-created_at"]
        constraints = [
            models.CheckConstraint(
                name="license_certificate_kind_valid",
                condition=Q(kind__in=[choice.value for choice in CertificateKind]),
            ),
            models.CheckConstraint(
                name="license_certificate_department_iff_department_kind",
                condition=Q(kind="root", department__isnull=True) | Q(kind="department", department__isnull=False),
            ),
            models.CheckConstraint(
                name="license_certificate_revoked_has_time",
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}（{self.serial_number[:16]}）"

    @property
    def is_revoked(self) -> bool:
        return self.status == CertificateStatus.REVOKED


class CrlPublication(models.Model):
    """A certificate revocation list signed by ``issuer``; the newest is served at a stable URL."""

    issuer = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="crls")
    number = models.PositiveIntegerField(_("CRL 编号"))
    der = models.BinaryField(_("CRL（DER）"))
    this_update = models.DateTimeField(_("本次更新"))
    next_update = models.DateTimeField(_("下次更新"))

    class Meta:
        verbose_name = _("证书吊销列表")
        verbose_name_plural = _("证书吊销列表")
        constraints = [models.UniqueConstraint(fields=["issuer", "number"], name="license_crl_number_unique")]

    def __str__(self) -> str:
        return f"CRL {self.number}"


class LicenseStatus(models.TextChoices):
    """GB/T 36903 status codes (STANDARDS.md)."""

    VALID = "01", _("有效")
    SUSPENDED = "02", _("暂停")
    CANCELLED = "03", _("撤销")
    DEREGISTERED = "04", _("注销")
    EXPIRED = "05", _("过期失效")
    REVOKED = "07", _("吊销")
    OTHER = "99", _("其他")


class HolderCodeType(models.TextChoices):
    RESIDENT_ID = "111", _("居民身份证")
    USCC = "001", _("统一社会信用代码")
    OTHER = "999", _("其他证件")


class LicenseSerialSequence(models.Model):
    """The last serial used per license type, issuer and year; only ever incremented (like the
    business numbers), so two licenses issued at the same moment never take the same serial."""

    license_type = models.ForeignKey(LicenseType, verbose_name=_("证照类型"), on_delete=models.PROTECT)
    issuer_code = models.CharField(_("颁发机构代码"), max_length=18)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("证照编号序列")
        verbose_name_plural = _("证照编号序列")
        constraints = [
            models.UniqueConstraint(
                fields=["license_type", "issuer_code", "year"], name="license_serial_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.license_type_id}/{self.issuer_code}/{self.year} → {self.last}"


class License(models.Model):
    """One version of an electronic license (证照); a change is a new version superseding this one."""

    identifier = models.CharField(_("证照标识"), max_length=120, unique=True)
    license_type = models.ForeignKey(LicenseType, verbose_name=_("证照类型"), on_delete=models.PROTECT)
    issuer_code = models.CharField(_("颁发机构代码"), max_length=18)
    serial = models.CharField(_("证照编号"), max_length=40)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    check_character = models.CharField(_("校验位"), max_length=1)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("持证主体账户"), on_delete=models.PROTECT, related_name="licenses"
    )
    holder_name = models.CharField(_("持证主体名称"), max_length=200)
    holder_code = models.CharField(_("持证主体代码"), max_length=40)
    holder_code_type = models.CharField(_("持证主体代码类型"), max_length=3, choices=HolderCodeType.choices)
    data = models.JSONField(_("照面信息"), default=dict, blank=True)
    issuing_department = models.ForeignKey(
        Department, verbose_name=_("颁发机构"), on_delete=models.PROTECT, related_name="issued_licenses"
    )
    valid_from = models.DateField(_("有效期起始"))
    valid_until = models.DateField(_("有效期截止"), null=True, blank=True, help_text=_("留空为长期有效"))
    status = models.CharField(_("状态"), max_length=2, choices=LicenseStatus.choices, default=LicenseStatus.VALID)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("替代的版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    source_reference = models.CharField(_("来源办件"), max_length=64, blank=True)
    issued_at = models.DateTimeField(_("颁发时间"), default=timezone.now)
    pdf_path = models.CharField(_("签名文件"), max_length=300, editable=False)
    jws = models.TextField(_("签名结构化数据（JWS）"), editable=False)

    class Meta:
        verbose_name = _("电子证照")
        verbose_name_plural = _("电子证照")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["license_type", "issuer_code", "serial", "version"], name="license_version_unique"
            ),
            models.CheckConstraint(
                name="license_status_valid", condition=Q(status__in=[choice.value for choice in LicenseStatus])
            ),
            models.CheckConstraint(name="license_version_positive", condition=Q(version__gte=1, version__lte=999)),
        ]
        indexes = [models.Index(fields=["status", "valid_until"], name="license_expiry_sweep")]

    def __str__(self) -> str:
        return f"{self.license_type.name} {self.identifier}"


class LicenseStatusChange(AppendOnlyModel):
    """The status history (append-only): who changed it, when, why."""

    license = models.ForeignKey(License, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(_("原状态"), max_length=2, choices=LicenseStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=2, choices=LicenseStatus.choices)
    reason = models.CharField(_("原因"), max_length=500)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("证照状态变更")
        verbose_name_plural = _("证照状态变更")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class IssuanceRecord(AppendOnlyModel):
    """签发台账: one row per signed license file, written by the server at signing time."""

    license = models.OneToOneField(License, on_delete=models.PROTECT, related_name="issuance")
    identifier = models.CharField(_("证照标识"), max_length=120, unique=True)
    version = models.PositiveSmallIntegerField(_("版本"))
    pdf_sha256 = models.CharField(_("PDF 文件 SHA-256"), max_length=64, unique=True)
    jws_sha256 = models.CharField(_("JWS SHA-256"), max_length=64, unique=True)
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="issuances")
    signed_at = models.DateTimeField(_("服务器签发时间"))

    class Meta:
        verbose_name = _("签发台账")
        verbose_name_plural = _("签发台账")
        ordering = ["signed_at", "pk"]

    def __str__(self) -> str:
        return self.identifier


# --- step 2: the wallet, sharing, access log, outages, deferred issuance ----------------------------


class AccessKind(models.TextChoices):
    STAFF = "staff", _("工作人员调用")
    SHARE = "share", _("分享链接使用")


class LicenseAccess(AppendOnlyModel):
    """证照使用记录: every use of a license by staff or by a sharing client, shown to the holder
    (issue 9 item 5: who used my license, when, why). Append-only."""

    license = models.ForeignKey(License, verbose_name=_("电子证照"), on_delete=models.PROTECT, related_name="accesses")
    kind = models.CharField(_("方式"), max_length=8, choices=AccessKind.choices)
    accessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("使用人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accessor_label = models.CharField(_("使用人"), max_length=200)
    purpose = models.CharField(_("用途"), max_length=200)
    reference = models.CharField(_("关联办件"), max_length=64, blank=True)
    share_link = models.ForeignKey(
        "ShareLink", verbose_name=_("分享链接"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("证照使用记录")
        verbose_name_plural = _("证照使用记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["license", "-at"], name="license_access_by_license")]

    def __str__(self) -> str:
        return f"{self.accessor_label} {self.purpose}"


class ShareLink(models.Model):
    """A one-time link to one license with a stated purpose, valid for a few minutes. Only the
    SHA-256 of the token is stored; the link is consumed by an explicit POST, never by a GET."""

    license = models.ForeignKey(
        License, verbose_name=_("电子证照"), on_delete=models.PROTECT, related_name="share_links"
    )
    token_hash = models.CharField(_("令牌哈希"), max_length=64, unique=True, editable=False)
    purpose = models.CharField(_("用途"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("分享人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    consumed_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证照分享链接")
        verbose_name_plural = _("证照分享链接")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.purpose


class Outage(models.Model):
    """Art. 14 para 3: a department cannot issue or update licenses of some types for a while;
    the city office sees it and applications fall back to uploads."""

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="license_outages"
    )
    license_types = models.ManyToManyField(LicenseType, verbose_name=_("受影响的证照类型"), related_name="outages")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True, help_text=_("留空为恢复时间未定"))
    reason = models.CharField(_("原因"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("证照服务中断告知")
        verbose_name_plural = _("证照服务中断告知")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                name="license_outage_ends_after_start",
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.reason[:20]}"

    def covers(self, moment) -> bool:
        return self.starts_at <= moment and (self.ends_at is None or moment < self.ends_at)


class PendingIssuance(models.Model):
    """An approved application whose license could not be issued at once (an outage, or no signing
    certificate yet): the sweep issues it when it can."""

    application = models.ForeignKey(
        "applications.Application", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="pending_licenses"
    )
    license_type = models.ForeignKey(LicenseType, verbose_name=_("证照类型"), on_delete=models.PROTECT)
    reason = models.CharField(_("暂缓原因"), max_length=500)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    license = models.OneToOneField(
        License, verbose_name=_("已颁发证照"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("颁发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待颁发证照")
        verbose_name_plural = _("待颁发证照")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "license_type"], name="license_pending_once_per_type")
        ]

    def __str__(self) -> str:
        return f"{self.license_type} ({self.reason[:20]})"
