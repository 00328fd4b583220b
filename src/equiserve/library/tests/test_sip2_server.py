"""Kiosks talk to the SIP2 server over a real socket with a third-party client (issue 19).

The client is the `Sip2` package (Sip2/sip2.py), not the project's encoder;
raw sockets send what kiosks send wrongly: bad checksums and split packets.
"""

import logging
import socket

import pytest
from Sip2.sip2 import Sip2

from equiserve.library.models import ItemStatus, Loan
from equiserve.library.sip2.backend import DatabaseBackend, close_connection
from equiserve.library.sip2.codec import build, checksum
from equiserve.library.sip2.server import SipServer
from equiserve.library.tests.factories import (
    make_item,
    make_network,
    make_patron,
    make_terminal,
    make_work,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def network(geography):
    net = make_network()
    make_terminal(net["xiaolan"], "xl-kiosk")
    make_terminal(net["guzhen"], "gz-kiosk")
    net["patron"] = make_patron(
        net["city"], card="440001", pin="1234", name="李明", migrant=True
    )
    net["item"] = make_item(
        net["xiaolan"], make_work("边城", "沈从文"), barcode="XL0001"
    )
    return net


@pytest.fixture
def server(network):
    sip = SipServer(
        ("127.0.0.1", 0), DatabaseBackend, idle_seconds=5, on_close=close_connection
    )
    sip.start_in_thread()
    yield sip
    sip.shutdown()
    sip.server_close()


def client(server, login: str) -> Sip2:
    sip = Sip2()
    sip.hostName, sip.hostPort = "127.0.0.1", server.port
    sip.tlsEnable = False
    sip.socketTimeout = 30  # a loaded CI machine, not a slow server
    sip.log = logging.getLogger(
        "sip2-test-client"
    )  # no sip2.log in the working directory
    sip.institutionId = "ZS"
    sip.connect()
    answer = sip.sip_login_response(
        sip.get_response(sip.sip_login_request(login, "kiosk"))
    )
    assert answer["fixed"]["Ok"] == "1"
    sip.patron, sip.patronpwd = "440001", "1234"
    return sip


def raw(server, *chunks: bytes) -> str:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        for chunk in chunks:
            sock.sendall(chunk)
        data = b""
        while data.count(b"\r") < 1 or not data.endswith(b"\r"):
            data += sock.recv(4096)
        return data.decode()


def test_checkout_at_one_town_checkin_at_another_renew_and_patron_information(
    server, network
):
    xiaolan = client(server, "xl-kiosk")
    status = xiaolan.sip_sc_status_response(
        xiaolan.get_response(xiaolan.sip_sc_status_request())
    )
    assert status["fixed"]["OnlineStatus"] == "Y"

    out = xiaolan.sip_checkout_response(
        xiaolan.get_response(xiaolan.sip_checkout_request("XL0001"))
    )
    assert out["fixed"]["Ok"] == "1"
    assert out["variable"]["AJ"] == ["边城"]
    assert out["variable"]["AH"][0].startswith(
        Loan.objects.get().due_on.strftime("%Y%m%d")
    )

    info = xiaolan.sip_patron_information_response(
        xiaolan.get_response(xiaolan.sip_patron_information_request("charged"))
    )
    assert info["variable"]["AE"] == ["李明"]
    assert info["variable"]["BL"] == ["Y"] and info["variable"]["CQ"] == ["Y"]
    assert info["variable"]["AU"] == ["XL0001"]
    assert info["fixed"]["ChargedItemsCount"] == "0001"

    renew = xiaolan.sip_renew_response(
        xiaolan.get_response(xiaolan.sip_renew_request("XL0001"))
    )
    assert renew["fixed"]["Ok"] == "1"
    assert Loan.objects.get().renewals == 1

    guzhen = client(server, "gz-kiosk")
    back = guzhen.sip_checkin_response(
        guzhen.get_response(guzhen.sip_checkin_request("XL0001"))
    )
    assert back["fixed"]["Ok"] == "1"
    assert back["fixed"]["Alert"] == "Y"  # put aside: it travels home
    assert back["variable"]["CL"] == ["XL"]
    network["item"].refresh_from_db()
    assert network["item"].status == ItemStatus.IN_TRANSIT
    assert network["item"].location == network["guzhen"]

    item = guzhen.sip_item_information_response(
        guzhen.get_response(guzhen.sip_item_information_request("XL0001"))
    )
    assert item["fixed"]["CirculationStatus"] == "10"  # in transit
    end = guzhen.get_response(guzhen.sip_end_patron_session_request())
    assert end.startswith("36Y")
    xiaolan.disconnect()
    guzhen.disconnect()


def test_unknown_patrons_and_items_are_refused_not_dropped(server, network):
    sip = client(server, "xl-kiosk")
    sip.patron = "no-such-card"
    out = sip.sip_checkout_response(
        sip.get_response(sip.sip_checkout_request("XL0001"))
    )
    assert out["fixed"]["Ok"] == "0"
    sip.patron = "440001"
    out = sip.sip_checkout_response(
        sip.get_response(sip.sip_checkout_request("NO-SUCH"))
    )
    assert out["fixed"]["Ok"] == "0"
    item = sip.sip_item_information_response(
        sip.get_response(sip.sip_item_information_request("NO-SUCH"))
    )
    assert item["fixed"]["CirculationStatus"] == "01"
    sip.patronpwd = "9999"
    status = sip.get_response(sip.sip_patron_status_request())
    assert "CQN|" in status
    sip.disconnect()


def test_a_bad_checksum_is_answered_with_a_request_to_resend(server):
    text = "9900802.00AY1AZ"
    assert raw(server, (text + "0000\r").encode()) == "96AZFEF6\r"
    good = text + checksum(text) + "\r"
    assert raw(server, good.encode()).startswith("98N")  # not logged in: off-line


def test_a_message_split_across_packets_and_two_in_one_read_are_answered(server):
    login = build(
        "93", ["0", "0"], [("CN", "xl-kiosk"), ("CO", "kiosk"), ("CP", "XL")], "1"
    )
    status = build("99", ["0", "080", "2.00"], [], "2")
    patron = build(
        "23",
        ["000", "20150301    101010"],
        [("AO", "ZS"), ("AA", "440001"), ("AC", ""), ("AD", "")],
        "3",
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(login[:5].encode())
        sock.sendall(login[5:].encode() + status.encode())
        sock.sendall(patron.encode()[:10])
        sock.sendall(patron.encode()[10:])
        data = b""
        while data.count(b"\r") < 3:
            data += sock.recv(4096)
    answers = data.decode().split("\r")[:3]
    assert answers[0].startswith("941AY1AZ")
    assert answers[1].startswith("98YYYY") and "AY2AZ" in answers[1]
    assert (
        answers[2].startswith("24") and "AE李明|" in answers[2] and "BLY|" in answers[2]
    )


def test_an_idle_connection_is_closed_and_a_dropped_one_leaves_the_server_serving(
    network,
):
    sip = SipServer(
        ("127.0.0.1", 0), DatabaseBackend, idle_seconds=0.3, on_close=close_connection
    )
    sip.start_in_thread()
    try:
        status = build("99", ["0", "080", "2.00"], [], "1")
        with socket.create_connection(("127.0.0.1", sip.port), timeout=5) as sock:
            sock.sendall(status.encode())
            assert sock.recv(4096).startswith(b"98N")
            assert sock.recv(4096) == b""  # idle past 0.3 s: the server closed it
        with socket.create_connection(("127.0.0.1", sip.port), timeout=5) as sock:
            sock.sendall(status.encode()[:7])  # the kiosk dies mid-message
        assert raw(sip, status.encode()).startswith("98N")
    finally:
        sip.shutdown()
        sip.server_close()
