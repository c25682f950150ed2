"""mail-harness: real mail servers on loopback for the Mail test suites.

The package is driven by the ``mail-harness`` script next to it.  Modules:

- ``layout``   names, accounts, the per-slot address plan and the run-directory layout
- ``process``  starting children that die with us, stopping them, waiting for readiness
- ``slots``    slot allocation (flock) and clean-up after a stale run of the same slot
- ``certs``    the test CA and the good/expired/wrong-host/self-signed certificates
- ``services`` one class per server (Dovecot, Postfix, dnsmasq, HTTPS, tarpit, keyring)
- ``harness``  the Harness object that starts/stops everything and writes harness.ini
- ``clients``  tiny IMAP/POP3/SMTP/DNS/HTTPS clients used by the self-test
- ``selftest`` the TAP self-test
- ``cli``      the command line
"""
