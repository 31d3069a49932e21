package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"critreg/access"
	"critreg/account"
	"critreg/discovery"
	"critreg/errkind"
	"critreg/inventory"
)

// Names of the body types as the OpenAPI document shows them.
type (
	discoveryProfile   = discovery.Profile
	discoveryProfileIn = discovery.ProfileInput
	discoveryRun       = discovery.Run
	discoveryRunIn     = discovery.RunInput
	discoveryResult    = discovery.StoredResult
	discoveryFinding   = discovery.Finding
	discoveryAcceptIn  = discovery.AcceptInput
	discoveryDecision  = discovery.Decision
	discoveryUploadIn  = discovery.UploadInput
	discoveryUpload    = discovery.UploadState
	discoveryBatch     = discovery.Batch
	discoveryCommitIn  = discovery.CommitInput
)

type dismissIn struct {
	// Reason says why the finding does not change the list.
	Reason string `json:"reason"`
}

// discoveryHandlers serve the discovery area over one discovery.Service, which holds the
// runs sweeping in this process.
type discoveryHandlers struct {
	srv *Server
	svc *discovery.Service
}

// person is the caller of every discovery route but the uploads: a discovery-scope token
// may only upload, so here it finds nothing, as it finds nothing outside discovery.
func person(c echo.Context) (access.Actor, error) {
	if tokenScope(c) == account.ScopeDiscovery {
		return access.Actor{}, errkind.NotFound("resource", c.Path())
	}
	return actor(c), nil
}

// uploader is the caller of the upload routes. A discovery-scope token is read-only for
// everything else; here it writes, which is all it is for. A read-scope token stays
// read-only and is refused.
func uploader(c echo.Context) access.Actor {
	a := actor(c)
	if tokenScope(c) == account.ScopeDiscovery {
		a.ReadOnly = false
	}
	return a
}

func (h *discoveryHandlers) listProfiles(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	ps, err := h.svc.Profiles(c.Request().Context(), a, c.QueryParam("operator"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(ps, 0))
}

func (h *discoveryHandlers) createProfile(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	return answerCreated(h.srv, c, a, h.svc.CreateProfile)
}

func (h *discoveryHandlers) deleteProfile(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteProfile(c.Request().Context(), a, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *discoveryHandlers) listRuns(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	return answerPage(c, func(ctx context.Context, p inventory.Page) ([]discoveryRun, int64, error) {
		return h.svc.Runs(ctx, a, discovery.RunFilter{Operator: c.QueryParam("operator")}, p)
	})
}

func (h *discoveryHandlers) startRun(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	var in discoveryRunIn
	if err := h.srv.bind(c, &in); err != nil {
		return err
	}
	run, err := h.svc.StartRun(c.Request().Context(), a, in)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/discovery/runs/"+strconv.FormatInt(run.ID, 10))
	return c.JSON(http.StatusAccepted, run)
}

func (h *discoveryHandlers) getRun(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	return answerByID(c, a, h.svc.Run)
}

func (h *discoveryHandlers) cancelRun(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	return answerByID(c, a, h.svc.CancelRun)
}

func (h *discoveryHandlers) listResults(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	return answerPageByID(c, a, h.svc.Results)
}

func (h *discoveryHandlers) listFindings(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	f := discovery.FindingFilter{Kind: discovery.FindingKind(c.QueryParam("kind")), Status: discovery.FindingStatus(c.QueryParam("status"))}
	return answerPageByID(c, a, func(ctx context.Context, a access.Actor, id int64, p inventory.Page) ([]discoveryFinding, int64, error) {
		return h.svc.Findings(ctx, a, id, f, p)
	})
}

func (h *discoveryHandlers) knownDevices(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	return answerPage(c, func(ctx context.Context, p inventory.Page) ([]discoveryResult, int64, error) {
		return h.svc.KnownDevices(ctx, a, c.QueryParam("operator"), p)
	})
}

func (h *discoveryHandlers) getFinding(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	return answerByID(c, a, h.svc.Finding)
}

func (h *discoveryHandlers) acceptFinding(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in discoveryAcceptIn
	if err := h.srv.bind(c, &in); err != nil {
		return err
	}
	d, err := h.svc.AcceptFinding(c.Request().Context(), a, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func (h *discoveryHandlers) dismissFinding(c echo.Context) error {
	a, err := person(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in dismissIn
	if err := h.srv.bind(c, &in); err != nil {
		return err
	}
	f, err := h.svc.DismissFinding(c.Request().Context(), a, id, in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}

func (h *discoveryHandlers) createUpload(c echo.Context) error {
	var in discoveryUploadIn
	if err := h.srv.bind(c, &in); err != nil {
		return err
	}
	st, err := h.svc.CreateUpload(c.Request().Context(), uploader(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, st)
}

func (h *discoveryHandlers) getUpload(c echo.Context) error {
	return answerByID(c, uploader(c), h.svc.Upload)
}

func (h *discoveryHandlers) putBatch(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	seq, err := strconv.Atoi(c.Param("seq"))
	if err != nil || seq < 1 {
		return errkind.NotFound("batch", c.Param("seq"))
	}
	var b discoveryBatch
	if err := h.srv.bind(c, &b); err != nil {
		return err
	}
	st, err := h.svc.PutBatch(c.Request().Context(), uploader(c), id, seq, b)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

func (h *discoveryHandlers) commitUpload(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in discoveryCommitIn
	if err := h.srv.bind(c, &in); err != nil {
		return err
	}
	run, err := h.svc.CommitUpload(c.Request().Context(), uploader(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, run)
}
