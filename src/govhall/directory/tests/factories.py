import factory

from govhall.core.validators import uscc_from_parts
from govhall.directory.models import Department, Region, ServiceCentre, SubHall, Window


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "220100"
    name = "长春市"
    kind = "city"
    parent = None


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"{220150 + n}")
    name = factory.Sequence(lambda n: f"测试{n}区")
    kind = "district"
    parent = factory.SubFactory(CityFactory)


class SubHallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubHall

    region = factory.SubFactory(RegionFactory)
    title = factory.LazyAttribute(lambda o: f"{o.region.name}分厅")


class ServiceCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCentre

    code = factory.Sequence(lambda n: f"centre-{n}")
    name = factory.Sequence(lambda n: f"测试政务服务中心{n}")
    level = "district"
    region = factory.SubFactory(RegionFactory)
    address = "长春市测试大街1号"
    phone = "0431-12345678"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"测试局{n}")
    uscc = factory.Sequence(lambda n: uscc_from_parts("11220100", f"TT{n:06d}"))
    region = factory.SubFactory(RegionFactory)
    level = "district"
    consultation_phone = "0431-11111111"
    complaint_phone = "0431-22222222"


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    centre = factory.SubFactory(ServiceCentreFactory)
    number = factory.Sequence(lambda n: f"{n:02d}")
    name = "综合受理窗口"
    kind = "comprehensive"
