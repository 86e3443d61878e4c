"""A deterministic generator of varied 1-3 KB customer emails, written as an mbox.

    python benchmarks/mailgen.py OUT.mbox [--count 10000] [--seed 4]

Varied on purpose: scenarios, anger, charsets (UTF-8 quoted-printable and base64,
Latin-1), multipart/alternative with HTML, quoted history, signatures, Outlook-style
headers, so the batch benchmark exercises the same paths real inboxes do.
"""

from __future__ import annotations

import argparse
import base64
import quopri
import random
from collections.abc import Iterator
from pathlib import Path

NAMES = ["Ana Lopez", "Jukka Virtanen", "Ingrid Hansen", "Noa Levi", "Olga Petrova", "Sam Carter", "Mia Wong"]
PROBLEMS = [
    "My blender arrived today with the jug cracked right down the side.",
    "The parcel for order #{order} was supposed to arrive last week and it is still not here.",
    "You charged my card twice for the same subscription, {amount} each time.",
    "I asked for a refund of {amount} ten days ago and nothing has happened.",
    "I cannot log in to my account since yesterday, the password reset email never comes.",
    "Your service has been down all morning and my whole team cannot work.",
    "I want to speak to a manager about how I was treated on the phone.",
    "Is there any discount if we buy twenty licences?",
    "It would be great if the app had a dark mode.",
    "Please cancel my membership, I no longer need it.",
    "The jacket I received is the wrong size and the zip broke on the first day.",
]
FEELINGS = [
    "This is ridiculous!!",
    "I am really disappointed.",
    "THIS IS THE WORST SERVICE I HAVE EVER HAD.",
    "I'm sorry to bother you, it's probably my fault.",
    "I have written three times already and nobody answers.",
    "My lawyer says this is not acceptable.",
    "",
]
WANTS = [
    "I want a replacement sent before the weekend.",
    "I want a full refund today.",
    "Please fix this as soon as possible.",
    "Can you tell me what you will do about it?",
    "",
]
FILLER = (
    "I have been a customer for years and I always recommended you to my friends. "
    "Last month everything worked fine, and I really do not understand what changed. "
    "I tried the steps on your help page, restarted everything and waited a day. "
)


def message(rng: random.Random, n: int) -> bytes:
    name = rng.choice(NAMES)
    addr = name.lower().replace(" ", ".") + "@example.com"
    order = rng.randrange(10000, 99999)
    amount = f"${rng.randrange(5, 400)}.{rng.randrange(0, 99):02d}"
    body = ["Hi,\n", rng.choice(PROBLEMS).format(order=order, amount=amount) + " " + rng.choice(FEELINGS)]
    body.append(FILLER * rng.randrange(1, 6))
    body.append(rng.choice(WANTS))
    body.append(f"Order number: #{order}" if rng.random() < 0.6 else "")
    body.append(rng.choice(["Best regards,\n" + name.split()[0], name.split()[0], "Thanks\n-- \nSent from my iPhone"]))
    if rng.random() < 0.4:
        body.append(
            f"\nOn Thu, 19 Nov 2026 at 09:15, Example Shop <orders@example-shop.com> wrote:\n"
            f"> Your order #{order} has shipped and is on its way.\n> Thank you for shopping with us."
        )
    text = "\n\n".join(part for part in body if part)
    headers = [
        f"From: {name} <{addr}>",
        "To: Support <support@example-shop.com>",
        f"Subject: {rng.choice(['Problem with order', 'URGENT', 'Question', 'Re: your order'])} #{order}",
        f"Date: Fri, 20 Nov 2026 {rng.randrange(0, 24):02d}:{rng.randrange(0, 60):02d}:10 +0100",
        f"Message-ID: <gen{n}.{order}@mail.example.com>",
        "MIME-Version: 1.0",
    ]
    kind = rng.random()
    if kind < 0.45:
        payload = quopri.encodestring(text.encode("utf-8")).decode("ascii")
        headers += ['Content-Type: text/plain; charset="utf-8"', "Content-Transfer-Encoding: quoted-printable"]
        raw = "\n".join(headers) + "\n\n" + payload
    elif kind < 0.65:
        payload = base64.encodebytes(text.encode("utf-8")).decode("ascii")
        headers += ['Content-Type: text/plain; charset="utf-8"', "Content-Transfer-Encoding: base64"]
        raw = "\n".join(headers) + "\n\n" + payload
    elif kind < 0.8:
        headers += ["Content-Type: text/plain; charset=iso-8859-1", "Content-Transfer-Encoding: 8bit"]
        return ("\n".join(headers) + "\n\n").encode("ascii") + text.encode("latin-1", errors="replace") + b"\n"
    else:
        html = "<html><body>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n")) + "</body></html>"
        boundary = f"b{n}x{order}"
        headers.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
        raw = (
            "\n".join(headers)
            + f"\n\n--{boundary}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
            + text
            + f"\n--{boundary}\nContent-Type: text/html; charset=utf-8\n\n"
            + html
            + f"\n--{boundary}--\n"
        )
    return raw.encode("utf-8") + b"\n"


def messages(count: int, seed: int = 4) -> Iterator[bytes]:
    rng = random.Random(seed)
    for n in range(count):
        yield message(rng, n)


def write_mbox(path: Path, count: int, seed: int = 4) -> int:
    """Write ``count`` messages; returns the total size in bytes."""
    size = 0
    with open(path, "wb") as fh:
        for raw in messages(count, seed):
            quoted = b"\n".join(b">" + ln if ln.startswith(b"From ") else ln for ln in raw.split(b"\n"))
            chunk = b"From support@example.com Fri Nov 20 16:42:10 2026\n" + quoted + b"\n"
            fh.write(chunk)
            size += len(chunk)
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    size = write_mbox(args.out, args.count, args.seed)
    print(f"{args.out}: {args.count} messages, {size / args.count:.0f} bytes each on average")


if __name__ == "__main__":
    main()
