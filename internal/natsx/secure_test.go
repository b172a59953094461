package natsx_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"
)

// startServer runs a real nats-server configured by the test on a random loopback port.
func startServer(t *testing.T, opts *server.Options) *server.Server {
	t.Helper()
	opts.Host, opts.Port = "127.0.0.1", server.RANDOM_PORT
	opts.NoLog, opts.NoSigs = true, true
	srv, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("server not ready")
	}
	t.Cleanup(srv.Shutdown)
	return srv
}

func serverURL(srv *server.Server, scheme string) string {
	return scheme + "://" + srv.Addr().(*net.TCPAddr).String()
}

type pki struct{ caFile, serverCert, serverKey, clientCert, clientKey string }

// newPKI writes a CA, a server certificate for 127.0.0.1 and a client certificate into dir.
func newPKI(t *testing.T, dir string) pki {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "alchemist test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	issue := func(name string, serial int64, usage x509.ExtKeyUsage) (string, string) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		keyDER, _ := x509.MarshalECPrivateKey(key)
		certFile, keyFile := filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem")
		writePEM(t, certFile, "CERTIFICATE", der)
		writePEM(t, keyFile, "EC PRIVATE KEY", keyDER)
		return certFile, keyFile
	}
	p := pki{caFile: filepath.Join(dir, "ca.pem")}
	writePEM(t, p.caFile, "CERTIFICATE", caDER)
	p.serverCert, p.serverKey = issue("server", 2, x509.ExtKeyUsageServerAuth)
	p.clientCert, p.clientKey = issue("client", 3, x509.ExtKeyUsageClientAuth)
	return p
}

func writePEM(t *testing.T, path, kind string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestMutualTLS(t *testing.T) {
	p := newPKI(t, t.TempDir())
	tlsConfig, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: p.serverCert, KeyFile: p.serverKey, CaFile: p.caFile, Verify: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, &server.Options{TLSConfig: tlsConfig, TLSVerify: true, TLS: true, TLSTimeout: 2})
	url := serverURL(srv, "tls")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	nc, err := natsx.Connect(ctx, natsx.ClientConfig{URLs: []string{url}, CAFile: p.caFile, CertFile: p.clientCert, KeyFile: p.clientKey}, nil)
	if err != nil {
		t.Fatalf("client with certificate refused: %v", err)
	}
	if !nc.TLSRequired() {
		t.Error("connection is not TLS")
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	nc.Close()

	_, err = natsx.Connect(ctx, natsx.ClientConfig{URLs: []string{url}, CAFile: p.caFile, ConnectTimeout: 2 * time.Second}, nil)
	if err == nil {
		t.Fatal("client without a certificate was accepted")
	}
	t.Logf("without certificate: %v", err)

	_, err = natsx.Connect(ctx, natsx.ClientConfig{URLs: []string{url}, CertFile: p.clientCert, KeyFile: p.clientKey, ConnectTimeout: 2 * time.Second}, nil)
	if err == nil || !strings.Contains(err.Error(), "TLS") {
		t.Fatalf("client not trusting the server's CA: %v, want a TLS error", err)
	}
}

func TestCredsFileJWTAuth(t *testing.T) {
	dir := t.TempDir()
	okp, _ := nkeys.CreateOperator()
	opub, _ := okp.PublicKey()
	oc := jwt.NewOperatorClaims(opub)
	if _, err := oc.Encode(okp); err != nil {
		t.Fatal(err)
	}
	akp, _ := nkeys.CreateAccount()
	apub, _ := akp.PublicKey()
	ajwt, err := jwt.NewAccountClaims(apub).Encode(okp)
	if err != nil {
		t.Fatal(err)
	}
	ukp, _ := nkeys.CreateUser()
	upub, _ := ukp.PublicKey()
	useed, _ := ukp.Seed()
	ujwt, err := jwt.NewUserClaims(upub).Encode(akp)
	if err != nil {
		t.Fatal(err)
	}
	creds, _ := jwt.FormatUserConfig(ujwt, useed)
	credsFile := filepath.Join(dir, "user.creds")
	if err := os.WriteFile(credsFile, creds, 0o600); err != nil {
		t.Fatal(err)
	}
	resolver := &server.MemAccResolver{}
	if err := resolver.Store(apub, ajwt); err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, &server.Options{TrustedOperators: []*jwt.OperatorClaims{oc}, AccountResolver: resolver})
	url := serverURL(srv, "nats")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	nc, err := natsx.Connect(ctx, natsx.ClientConfig{URLs: []string{url}, CredsFile: credsFile}, nil)
	if err != nil {
		t.Fatalf("client with creds refused: %v", err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	nc.Close()

	_, err = natsx.Connect(ctx, natsx.ClientConfig{URLs: []string{url}, ConnectTimeout: 2 * time.Second}, nil)
	if !errors.Is(err, natsx.ErrAuth) {
		t.Fatalf("client without credentials: %v, want ErrAuth", err)
	}
	t.Logf("without credentials: %v", err)
}

func TestNKeyAndTokenAuth(t *testing.T) {
	dir := t.TempDir()
	ukp, _ := nkeys.CreateUser()
	upub, _ := ukp.PublicKey()
	seed, _ := ukp.Seed()
	seedFile := filepath.Join(dir, "user.nk")
	os.WriteFile(seedFile, seed, 0o600)
	srv := startServer(t, &server.Options{Nkeys: []*server.NkeyUser{{Nkey: upub}}})
	ctx := context.Background()
	nc, err := natsx.Connect(ctx, natsx.ClientConfig{URLs: []string{serverURL(srv, "nats")}, NKeySeedFile: seedFile}, nil)
	if err != nil {
		t.Fatalf("nkey client refused: %v", err)
	}
	nc.Close()

	tokenSrv := startServer(t, &server.Options{Authorization: "s3cret"})
	if _, err := natsx.Connect(ctx, natsx.ClientConfig{URLs: []string{serverURL(tokenSrv, "nats")}, Token: "wrong", ConnectTimeout: 2 * time.Second}, nil); !errors.Is(err, natsx.ErrAuth) {
		t.Fatalf("wrong token: %v, want ErrAuth", err)
	}
	nc, err = natsx.Connect(ctx, natsx.ClientConfig{URLs: []string{serverURL(tokenSrv, "nats")}, Token: "s3cret"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	nc.Close()
}

func TestReconnectStateIsTracked(t *testing.T) {
	srv := startServer(t, &server.Options{})
	url := serverURL(srv, "nats")
	tracker := &natsx.StateTracker{}
	nc, err := natsx.Connect(context.Background(), natsx.ClientConfig{URLs: []string{url}}, tracker)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if tracker.State() != natsx.StateConnected {
		t.Fatalf("state %v", tracker.State())
	}
	port := srv.Addr().(*net.TCPAddr).Port
	srv.Shutdown()
	waitFor(t, func() bool { return tracker.State() == natsx.StateReconnecting })
	srv2, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, NoLog: true, NoSigs: true})
	if err != nil {
		t.Fatal(err)
	}
	go srv2.Start()
	t.Cleanup(srv2.Shutdown)
	waitFor(t, func() bool { return tracker.State() == natsx.StateConnected && tracker.Reconnects() == 1 })
	nc.Close()
	waitFor(t, func() bool { return tracker.State() == natsx.StateClosed })
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 15s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
