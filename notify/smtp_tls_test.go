package notify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"taphuan/notify/notifytest"
)

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns the pool that
// trusts it.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtp test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// smtp:// uses STARTTLS when the server offers it, and smtps:// speaks TLS at once; a
// certificate the client does not trust makes the server unavailable, not the message.
func TestSMTPOverTLS(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	env := &Envelope{FromName: "Sở TT&TT", To: "an@example.vn", Subject: "Thử", Text: "Xin chào\n", MessageID: "tls-test@taphuan"}
	for _, mode := range []struct{ tls, scheme string }{{"starttls", "smtp"}, {"implicit", "smtps"}} {
		t.Run(mode.tls, func(t *testing.T) {
			srv := notifytest.NewStopped(t)
			srv.TLS, srv.CertFile, srv.KeyFile = mode.tls, certFile, keyFile
			srv.Start()
			url := mode.scheme + "://127.0.0.1:" + itoa(srv.Port)
			s, err := ParseSMTP(url, "no-reply@example.vn", 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			var down *UnavailableError
			if err := s.Send(t.Context(), env); !errors.As(err, &down) {
				t.Fatalf("untrusted certificate: %v, want the server unavailable", err)
			}
			s.tls = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
			if err := s.Send(t.Context(), env); err != nil {
				t.Fatal(err)
			}
			m := srv.Wait(1, 5*time.Second)[0]
			if m.Header.Get("X-Sink-TLS") != "yes" || m.Subject != "Thử" {
				t.Fatalf("not over TLS, or not the message: %v %q", m.Header, m.Subject)
			}
		})
	}
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }
