"""dkimverify (python3-dkim) for every signature of a message, with key lookups sent to one DNS server.

dkimverify itself asks the resolvers of /etc/resolv.conf on port 53; the tests publish their keys
in a dnsmasq on another address and port, so this does what dkimverify does, per signature, with
a dnsfunc that asks that server. Usage: verify.py HOST:PORT < message; exit 0 if every signature passes.
"""
import sys

import dkim
import dns.resolver

host, port = sys.argv[1].rsplit(':', 1)
resolver = dns.resolver.Resolver(configure=False)
resolver.nameservers = [host]
resolver.port = int(port)


def txt(name, timeout=5):
    name = name.decode() if isinstance(name, bytes) else name
    try:
        answer = resolver.resolve(name, 'TXT', lifetime=timeout)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return None
    return b''.join(answer[0].strings)


message = sys.stdin.buffer.read()
headers, _ = dkim.rfc822_parse(message)
count = sum(1 for name, _ in headers if name.lower() == b'dkim-signature')
passed = count > 0
for index in range(count):
    verifier = dkim.DKIM(message)
    try:
        result = verifier.verify(idx=index, dnsfunc=txt)
        detail = ''
    except dkim.DKIMException as e:
        result = False
        detail = ' (' + str(e) + ')'
    algorithm = verifier.signature_fields.get(b'a', b'?').decode() if verifier.signature_fields else '?'
    print('signature %d %s: %s%s' % (index, algorithm, 'pass' if result else 'fail', detail))
    passed = passed and result
sys.exit(0 if passed else 1)
