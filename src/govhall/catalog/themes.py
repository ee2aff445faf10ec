"""The entrances' topic lists: life events for citizens, enterprise stages for legal persons.

The names follow the national integrated platform's classification; service items carry these codes
in ``ServiceItem.themes`` (the portal imports the lists from here: imports only go down).
"""

from django.utils.translation import gettext_lazy as _

PERSONAL_THEMES = [
    ("birth", _("生育收养"), "bi-balloon-heart"),
    ("household", _("户籍办理"), "bi-house-door"),
    ("employment", _("就业创业"), "bi-briefcase"),
    ("social_security", _("社会保障"), "bi-shield-check"),
    ("health", _("医疗卫生"), "bi-heart-pulse"),
    ("housing", _("住房保障"), "bi-buildings"),
    ("marriage", _("婚姻登记"), "bi-people"),
    ("education", _("教育"), "bi-mortarboard"),
    ("transport", _("交通出行"), "bi-car-front"),
    ("retirement", _("退休养老"), "bi-person-walking"),
]

ENTERPRISE_THEMES = [
    ("establishment", _("设立变更"), "bi-building-add"),
    ("permits", _("准营准办"), "bi-patch-check"),
    ("construction", _("工程建设"), "bi-cone-striped"),
    ("tax", _("纳税缴费"), "bi-receipt"),
    ("employment", _("人力资源"), "bi-person-badge"),
    ("deregistration", _("注销"), "bi-building-dash"),
]

THEME_CODES: frozenset[str] = frozenset(code for code, _label, _icon in PERSONAL_THEMES + ENTERPRISE_THEMES)
