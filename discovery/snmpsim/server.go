package snmpsim

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"time"
)

// Config lists the agents one simulator process serves.
type Config struct {
	Agents []Agent
}

// Agent is one simulated device: a UDP socket answering from a recording.
type Agent struct {
	// Name labels the agent (usually the recording's file name).
	Name string
	// Addr is the address to bind; empty means 127.0.0.1 on a free port.
	Addr string
	// Recording is what the agent answers from; it may be nil only for FaultSilent.
	Recording *Recording
	// Community enables SNMPv2c with this community; empty disables v2c.
	Community string
	// Users are the SNMPv3 USM users the agent accepts.
	Users []User
	// EngineID is the authoritative engine ID; empty derives a stable one from Name.
	EngineID []byte
	// Fault makes the agent misbehave; see Fault.
	Fault Fault
}

// User is an SNMPv3 USM user. Auth NoAuth with Priv NoPriv is noAuthNoPriv.
type User struct {
	Name     string
	Auth     AuthProtocol
	AuthPass string
	Priv     PrivProtocol
	PrivPass string
}

// Server is a running simulator. Close it to release its sockets.
type Server struct {
	addrs  []netip.AddrPort
	conns  []*net.UDPConn
	wg     sync.WaitGroup
	cancel context.CancelFunc
	once   sync.Once
}

// Start binds every agent's socket and starts answering. It returns once all sockets are
// bound; the simulator stops when ctx ends or Close is called.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	ctx, cancel := context.WithCancel(ctx)
	s := &Server{cancel: cancel}
	keys := map[string][]byte{} // passphrase digests, shared by users with the same secret
	started := time.Now()
	for i := range cfg.Agents {
		ac := &cfg.Agents[i]
		a, err := newAgent(ac, keys, started)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("agent %q: %w", ac.Name, err)
		}
		addr := ac.Addr
		if addr == "" {
			addr = "127.0.0.1:0"
		}
		ua, err := net.ResolveUDPAddr("udp", addr)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("agent %q: %w", ac.Name, err)
		}
		conn, err := net.ListenUDP("udp", ua)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("agent %q: %w", ac.Name, err)
		}
		s.conns = append(s.conns, conn)
		s.addrs = append(s.addrs, conn.LocalAddr().(*net.UDPAddr).AddrPort())
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			serve(conn, a)
		}()
	}
	go func() {
		<-ctx.Done()
		s.Close()
	}()
	return s, nil
}

// Addrs returns the bound address of each agent, in Config.Agents order.
func (s *Server) Addrs() []netip.AddrPort { return s.addrs }

// Close stops every agent and waits for them to finish.
func (s *Server) Close() error {
	s.once.Do(func() {
		s.cancel()
		for _, c := range s.conns {
			c.Close()
		}
	})
	s.wg.Wait()
	return nil
}

func serve(conn *net.UDPConn, a *agent) {
	buf := make([]byte, 65536)
	for {
		n, from, err := conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		if out := a.handle(buf[:n]); out != nil {
			_, _ = conn.WriteToUDPAddrPort(out, from)
		}
	}
}

func newAgent(ac *Agent, keys map[string][]byte, started time.Time) (*agent, error) {
	if ac.Recording == nil && ac.Fault != FaultSilent {
		return nil, errors.New("no recording")
	}
	a := &agent{
		name:      ac.Name,
		rec:       ac.Recording,
		community: []byte(ac.Community),
		users:     map[string]*userKey{},
		engineID:  ac.EngineID,
		boots:     1,
		started:   started,
		fault:     ac.Fault,
	}
	if len(a.engineID) == 0 {
		// RFC 3411 format 5 (octets): enterprise 8072 with the high bit set, then 8 octets
		// derived from the name, so a restarted simulator keeps its engine IDs.
		sum := sha256.Sum256([]byte(ac.Name))
		a.engineID = append([]byte{0x80, 0x00, 0x1f, 0x88, 0x05}, sum[:8]...)
	}
	if len(a.engineID) < 5 || len(a.engineID) > 32 {
		return nil, fmt.Errorf("engine ID of %d octets, want 5 to 32", len(a.engineID))
	}
	for _, u := range ac.Users {
		k, err := localize(u, a.engineID, keys)
		if err != nil {
			return nil, fmt.Errorf("user %q: %w", u.Name, err)
		}
		a.users[u.Name] = k
	}
	return a, nil
}

func localize(u User, engineID []byte, cache map[string][]byte) (*userKey, error) {
	k := &userKey{User: u}
	if u.Auth == NoAuth {
		if u.Priv != NoPriv {
			return nil, errors.New("privacy needs authentication")
		}
		return k, nil
	}
	if u.Auth.newHash() == nil {
		return nil, fmt.Errorf("unknown auth protocol %d", u.Auth)
	}
	ku := func(pass string) ([]byte, error) {
		ck := fmt.Sprintf("%d\x00%s", u.Auth, pass)
		if v, ok := cache[ck]; ok {
			return v, nil
		}
		v, err := passwordToKey(u.Auth, pass)
		if err == nil {
			cache[ck] = v
		}
		return v, err
	}
	authKu, err := ku(u.AuthPass)
	if err != nil {
		return nil, fmt.Errorf("auth passphrase: %w", err)
	}
	k.authKey = localizeKey(u.Auth, authKu, engineID)
	if u.Priv != NoPriv {
		if u.Priv.keyLen() == 0 {
			return nil, fmt.Errorf("unknown priv protocol %d", u.Priv)
		}
		privKu, err := ku(u.PrivPass)
		if err != nil {
			return nil, fmt.Errorf("priv passphrase: %w", err)
		}
		k.privKey = privKey(u.Auth, u.Priv, privKu, engineID)
	}
	return k, nil
}
