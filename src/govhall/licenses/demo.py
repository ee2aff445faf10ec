"""Demo e-license: 张三 holds a 营业执照 (individual business) issued by the market regulator, so the
demo shows 我的证照 with a license to download and share, and his next 食品经营许可 application takes
that material from the library (Art. 13: no repeated proof) instead of asking for an upload."""

from __future__ import annotations

from govhall.accounts.models import User
from govhall.catalog.models import LicenseType
from govhall.core.validators import uscc_from_parts
from govhall.directory.models import Department

from .models import License
from .services import issue_license

HOLDER_MOBILE = "13800000001"
LICENSE_TYPE = "营业执照"
DEPARTMENT = "长春市市场监督管理局"


def load() -> int:
    """Issue the demo license once (needs the PKI: ``init_pki`` runs first); returns how many."""
    holder = next(
        (
            user
            for user in User.objects.filter(kind="person", mobile_hash__isnull=False)
            if user.mobile == HOLDER_MOBILE
        ),
        None,
    )
    license_type = LicenseType.objects.filter(name=LICENSE_TYPE).first()
    department = Department.objects.filter(name=DEPARTMENT).first()
    if holder is None or license_type is None or department is None:
        return 0
    if License.objects.filter(holder=holder, license_type=license_type).exists():
        return 0
    data = {"uscc": uscc_from_parts("92220100", "MA0C1234"), "name": "张三烧烤店", "operator": holder.name}
    issue_license(license_type, holder, data, department)
    return 1
