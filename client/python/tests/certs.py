"""Throw-away certificates for the TLS tests, made with the openssl command:
a CA, a server certificate for localhost / 127.0.0.1 and a client
certificate, both signed by the CA."""
import subprocess
from pathlib import Path

_CONFIG = """[req]
distinguished_name = dn
prompt = no
[dn]
CN = vlmc-test
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
"""
_EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


def _openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_certs(folder):
    """Writes ca, server and client .crt/.key into `folder`; returns it."""
    folder = Path(folder)
    config = folder / "openssl.cnf"
    config.write_text(_CONFIG)
    _openssl("req", "-x509", "-config", config, "-extensions", "ca_ext",
             *_EC_KEY, "-keyout", folder / "ca.key", "-out", folder / "ca.crt",
             "-days", "2", "-subj", "/CN=vlmc test ca")
    for serial, name in enumerate(("server", "client"), start=1):
        csr = folder / f"{name}.csr"
        _openssl("req", "-new", "-config", config, *_EC_KEY,
                 "-keyout", folder / f"{name}.key", "-out", csr,
                 "-subj", f"/CN=vlmc test {name}")
        _openssl("x509", "-req", "-in", csr, "-CA", folder / "ca.crt",
                 "-CAkey", folder / "ca.key", "-set_serial", str(serial),
                 "-days", "2", "-extfile", config, "-extensions",
                 f"{name}_ext", "-out", folder / f"{name}.crt")
    return folder
