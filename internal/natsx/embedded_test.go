package natsx_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/infoalchemist/alchemist/internal/natsx"
	"github.com/infoalchemist/alchemist/internal/natsx/natstest"
	"github.com/nats-io/nats.go/jetstream"
)

func TestEmbeddedKeepsAckedMessagesAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	emb, err := natsx.StartEmbedded(ctx, natsx.EmbeddedConfig{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	nc, err := emb.Connect()
	if err != nil {
		t.Fatal(err)
	}
	js, _ := jetstream.New(nc)
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "T", Subjects: []string{"t.>"}, Storage: jetstream.FileStorage}); err != nil {
		t.Fatal(err)
	}
	const n = 100
	for i := range n {
		if _, err := js.Publish(ctx, "t.x", []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	nc.Close()
	emb.Shutdown()

	emb2, nc2 := natstest.Start(t, natstest.Options{DataDir: dir})
	_ = emb2
	js2, _ := jetstream.New(nc2)
	s, err := js2.Stream(ctx, "T")
	if err != nil {
		t.Fatalf("stream lost across restart: %v", err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != n {
		t.Fatalf("after restart %d messages, want %d", info.State.Msgs, n)
	}
	msg, err := s.GetMsg(ctx, n)
	if err != nil || msg.Data[0] != byte(n-1) {
		t.Fatalf("last message: %v %v", msg, err)
	}
}

func TestEmbeddedDataDirIsExclusive(t *testing.T) {
	dir := t.TempDir()
	natstest.Start(t, natstest.Options{DataDir: dir})
	_, err := natsx.StartEmbedded(context.Background(), natsx.EmbeddedConfig{DataDir: dir})
	if !errors.Is(err, natsx.ErrDataDirLocked) {
		t.Fatalf("second server on the same dir: %v, want ErrDataDirLocked", err)
	}
}

func TestOpenPrefersLocalServeThenEmbedded(t *testing.T) {
	ctx := context.Background()
	serve, _ := natstest.Start(t, natstest.Options{Listen: true})

	link, err := natsx.Open(ctx, natsx.LinkConfig{LocalURL: serve.ClientURL(), Embedded: natsx.EmbeddedConfig{DataDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	if link.Mode != "local-serve" || link.Embedded != nil {
		t.Fatalf("mode %q, want local-serve", link.Mode)
	}
	if link.State.State() != natsx.StateConnected {
		t.Fatalf("state %v", link.State.State())
	}
	link.Close()

	link, err = natsx.Open(ctx, natsx.LinkConfig{LocalURL: "nats://127.0.0.1:1", Embedded: natsx.EmbeddedConfig{DataDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	defer link.Close()
	if link.Mode != "embedded" || link.Embedded == nil {
		t.Fatalf("mode %q, want embedded", link.Mode)
	}
	if err := link.Conn.Publish("x", nil); err != nil {
		t.Fatal(err)
	}
}

func TestUnreachableClusterIsAClearError(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := natsx.Open(ctx, natsx.LinkConfig{Client: natsx.ClientConfig{URLs: []string{"nats://127.0.0.1:1"}, ConnectTimeout: time.Second}})
	if !errors.Is(err, natsx.ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	t.Log(err)
}
