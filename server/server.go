// Package server is critreg's HTTP side: the JSON API, the web pages, authentication and
// sessions. Handlers are thin: they read the request, call the domain packages with the
// caller's access.Actor and write the answer; errors are mapped to statuses in one place.
package server

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/sirupsen/logrus"

	"critreg/account"
	"critreg/discovery"
	"critreg/frontend"
	"critreg/inventory"
	"critreg/store"
)

// Config is what the server needs besides the database.
type Config struct {
	// MaxBody bounds a JSON request body; uploads have their own limit.
	MaxBody int64
	// MaxUpload bounds an uploaded file (a workbook).
	MaxUpload int64
	// TrustedProxies are the networks whose X-Forwarded-For the server believes. Empty:
	// the client address is the TCP peer, and no header can change what the audit records.
	TrustedProxies []*net.IPNet
	Log            *logrus.Logger
}

// Server serves critreg over HTTP.
type Server struct {
	cfg      Config
	db       *store.DB
	inv      *inventory.Store
	accounts *account.Accounts
	pages    *frontend.Pages
	pending  *pendingLogins
	log      *logrus.Logger
	echo     *echo.Echo
	started  time.Time
	docState

	// discovery is the one discovery.Service of this server, shared by the discovery API
	// and its pages, since it holds the runs sweeping in this process (set by discoveryRoutes).
	discovery *discovery.Service
	// imports are the import jobs of this process, shared by the import API and the import
	// page so that both follow the same jobs (set by importRoutes).
	imports *importJobs
}

// New wires the server over a migrated database.
func New(db *store.DB, cfg Config) *Server {
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 1 << 20
	}
	if cfg.MaxUpload == 0 {
		cfg.MaxUpload = 32 << 20
	}
	if cfg.Log == nil {
		cfg.Log = logrus.New()
	}
	// The templates are embedded and parsed here: a broken one is a defect of the build,
	// and it stops the start rather than failing a request later.
	pages, err := frontend.New()
	if err != nil {
		panic(err)
	}
	s := &Server{
		cfg: cfg, db: db, log: cfg.Log, started: time.Now(),
		inv:      inventory.NewStore(db),
		accounts: account.New(db),
		pages:    pages,
		pending:  newPendingLogins(),
	}
	s.echo = s.newEcho()
	return s
}

func (s *Server) newEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = s.ipExtractor()
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		s.log.WithField("stack", string(stack)).WithError(err).Error("panic in handler")
		return err
	}}))
	e.Use(securityHeaders)
	e.Use(s.accessLog)
	for _, r := range s.routes() {
		limit := s.cfg.MaxBody
		if r.Upload {
			limit = s.cfg.MaxUpload
		}
		mw := []echo.MiddlewareFunc{bodyLimit(limit)}
		if !r.Public {
			mw = append(mw, s.authenticate)
		}
		e.Add(r.Method, r.Path, r.Handler, mw...)
	}
	return e
}

// ipExtractor returns the client address the audit records: the TCP peer, unless the peer
// is a proxy the operator of critreg named.
func (s *Server) ipExtractor() echo.IPExtractor {
	if len(s.cfg.TrustedProxies) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range s.cfg.TrustedProxies {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.echo }

// Serve answers on l until ctx ends, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, srv *http.Server, l net.Listener, certFile, keyFile string) error {
	srv.Handler = s.echo
	errc := make(chan error, 1)
	go func() {
		if certFile != "" {
			errc <- srv.ServeTLS(l, certFile, keyFile)
			return
		}
		errc <- srv.Serve(l)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}

func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		if c.IsTLS() {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}

func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		if s.log.IsLevelEnabled(logrus.DebugLevel) {
			// The path only: query strings can carry search terms, never credentials,
			// but they are kept out of the log all the same.
			s.log.WithFields(logrus.Fields{
				"method": c.Request().Method, "path": c.Path(), "status": c.Response().Status,
				"ms": time.Since(start).Milliseconds(), "ip": c.RealIP(),
			}).Debug("request")
		}
		return nil
	}
}

// bodyLimit bounds what a handler can read of a request body, whatever reads it (the JSON
// decoder, a form parser, a multipart upload).
func bodyLimit(n int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if c.Request().ContentLength > n {
				return &echo.HTTPError{Code: http.StatusRequestEntityTooLarge}
			}
			c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, n)
			return next(c)
		}
	}
}
