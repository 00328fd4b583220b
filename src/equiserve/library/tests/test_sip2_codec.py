"""The SIP2 codec on its own: framing, checksums, fields (no database)."""

from equiserve.library.sip2.codec import Framer, build, checksum, parse


def test_the_checksum_is_the_twos_complement_of_the_sum():
    # The example in the Sip2 client's source.
    text = "09N20160419    12200820160419    122008APReading Room 1|AO830|AB830$28170815|AC|AY2AZ"
    assert checksum(text) == "EB80"
    message = build("94", ["1"], [], "3")
    assert parse(message).checksum_ok


def test_a_message_split_across_packets_or_several_in_one_read_are_framed():
    framer = Framer()
    one, two = (
        build("99", ["0", "080", "2.00"], [], "0"),
        build("35", [" " * 18], [("AA", "C1")], "1"),
    )
    assert framer.feed(one[:7].encode()) == []
    assert framer.feed(one[7:].encode() + two.encode()[:3]) == [one[:-1]]
    assert framer.feed(two.encode()[3:]) == [two[:-1]]


def test_blank_optional_fields_and_an_unpadded_checksum_are_read():
    text = "6300020150301    101010          AO|AA123|AD|AY1AZ"
    message = parse(text + checksum(text).lstrip("0"))
    assert message.checksum_ok and message.sequence == "1"
    assert message.get("AD") == "" and message.get("AA") == "123"
    assert not parse(text + "0000").checksum_ok
