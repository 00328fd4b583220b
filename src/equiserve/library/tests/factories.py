"""Small library networks for the library app's tests."""

import datetime as dt
import itertools

from django.contrib.auth.hashers import make_password

from equiserve.library.catalogue import work_tokens
from equiserve.library.models import Item, Library, Patron, Terminal, Work
from equiserve.testkit import GUZHEN, SHIQI, XIAOLAN

_serial = itertools.count(1)


def make_network() -> dict[str, Library]:
    """Create the city library, two town libraries and a kiosk of Xiaolan's."""
    city = Library.objects.create(
        code="ZSLIB",
        name_zh="中山纪念图书馆",
        name_en="Zhongshan Library",
        kind="city",
        town_id=SHIQI,
    )
    xiaolan = Library.objects.create(
        code="XL",
        name_zh="小榄镇图书馆",
        name_en="Xiaolan Library",
        kind="town",
        town_id=XIAOLAN,
    )
    guzhen = Library.objects.create(
        code="GZ",
        name_zh="古镇镇图书馆",
        name_en="Guzhen Library",
        kind="town",
        town_id=GUZHEN,
    )
    kiosk = Library.objects.create(
        code="XL-24H",
        name_zh="小榄24小时自助图书馆",
        name_en="Xiaolan 24-hour library",
        kind="kiosk",
        town_id=XIAOLAN,
        parent=xiaolan,
    )
    return {"city": city, "xiaolan": xiaolan, "guzhen": guzhen, "kiosk": kiosk}


def make_work(title: str = "红楼梦", author: str = "曹雪芹", **fields) -> Work:
    work = Work(title=title, author=author, **fields)
    work.search_tokens = work_tokens(work)
    work.save()
    return work


def make_item(home: Library, work: Work | None = None, barcode: str = "") -> Item:
    return Item.objects.create(
        barcode=barcode or f"T{next(_serial):07d}",
        work=work or make_work(),
        home=home,
        location=home,
    )


def make_patron(home: Library, card: str = "", pin: str = "", **fields) -> Patron:
    return Patron.objects.create(
        card=card or f"C{next(_serial):08d}",
        name=fields.pop("name", "读者"),
        home=home,
        pin_hash=make_password(pin) if pin else "",
        issued_on=dt.date(2015, 1, 1),
        **fields,
    )


def make_terminal(library: Library, login: str, password: str = "kiosk") -> Terminal:
    return Terminal.objects.create(
        login=login, password_hash=make_password(password), library=library
    )
