package server

import (
	"net/http"

	"critreg/discovery"
	"critreg/notice"
)

// discoveryRoutes is this area's part of the route table: SNMP credential profiles, runs
// with their live progress, results and reconciliation findings, the review of findings,
// and the uploads of agents that sweep inside operators' management networks.
func (s *Server) discoveryRoutes() []route {
	h := &discoveryHandlers{srv: s, svc: discovery.New(s.db, s.inv, discovery.Config{
		Notices: discovery.NoticesOf(notice.New(s.db, s.inv, s.point64())),
	})}
	s.discovery = h.svc
	const tag = "discovery"
	return []route{
		{Method: http.MethodGet, Path: "/api/v1/discovery/profiles", Handler: h.listProfiles, Summary: "An operator's SNMP credential profiles, never with their secrets (the operator's own users only)", Tag: tag, Response: discoveryProfile{}, List: true, Query: []string{"operator"}},
		{Method: http.MethodPost, Path: "/api/v1/discovery/profiles", Handler: h.createProfile, Summary: "Store an SNMP credential profile (v2c community or v3 authPriv user), encrypted at rest; refused when the server has no secret key", Tag: tag, Request: discoveryProfileIn{}, Response: discoveryProfile{}, Status: http.StatusCreated},
		{Method: http.MethodDelete, Path: "/api/v1/discovery/profiles/:id", Handler: h.deleteProfile, Summary: "Remove a credential profile", Tag: tag, Status: http.StatusNoContent},

		{Method: http.MethodGet, Path: "/api/v1/discovery/runs", Handler: h.listRuns, Summary: "Discovery runs, with their progress and finding counts", Tag: tag, Response: discoveryRun{}, List: true, Query: []string{"operator"}},
		{Method: http.MethodPost, Path: "/api/v1/discovery/runs", Handler: h.startRun, Summary: "Start a sweep of an operator's targets with one of its profiles, in the background (the operator's operator and engineer users)", Tag: tag, Request: discoveryRunIn{}, Response: discoveryRun{}, Status: http.StatusAccepted},
		{Method: http.MethodGet, Path: "/api/v1/discovery/runs/:id", Handler: h.getRun, Summary: "One run with its live progress: hosts done, answering, failed by cause", Tag: tag, Response: discoveryRun{}},
		{Method: http.MethodPost, Path: "/api/v1/discovery/runs/:id/cancel", Handler: h.cancelRun, Summary: "Stop a running sweep; what it stored stays", Tag: tag, Response: discoveryRun{}},
		{Method: http.MethodGet, Path: "/api/v1/discovery/runs/:id/results", Handler: h.listResults, Summary: "What a run stored: each device that answered, and each host that refused or failed", Tag: tag, Response: discoveryResult{}, List: true},
		{Method: http.MethodGet, Path: "/api/v1/discovery/runs/:id/findings", Handler: h.listFindings, Summary: "A run's reconciliation findings (new, missing, changed) with their meaning under 63.3", Tag: tag, Response: discoveryFinding{}, List: true, Query: []string{"kind", "status"}},
		{Method: http.MethodGet, Path: "/api/v1/discovery/devices", Handler: h.knownDevices, Summary: "The device each host last showed; later failed polls leave it in place", Tag: tag, Response: discoveryResult{}, List: true, Query: []string{"operator"}},

		{Method: http.MethodGet, Path: "/api/v1/discovery/findings/:id", Handler: h.getFinding, Summary: "One finding", Tag: tag, Response: discoveryFinding{}},
		{Method: http.MethodPost, Path: "/api/v1/discovery/findings/:id/accept", Handler: h.acceptFinding, Summary: "Take a finding into the list: a new device becomes an item with its provenance, a change updates its item field by field, a missing item is removed when confirmed", Tag: tag, Request: discoveryAcceptIn{}, Response: discoveryDecision{}},
		{Method: http.MethodPost, Path: "/api/v1/discovery/findings/:id/dismiss", Handler: h.dismissFinding, Summary: "Close a finding without changing the list, with the reason", Tag: tag, Request: dismissIn{}, Response: discoveryFinding{}},

		{Method: http.MethodPost, Path: "/api/v1/discovery/uploads", Handler: h.createUpload, Summary: "Open the upload of a run an agent sweeps (discovery-scope tokens)", Tag: tag, Request: discoveryUploadIn{}, Response: discoveryUpload{}, Status: http.StatusCreated},
		{Method: http.MethodGet, Path: "/api/v1/discovery/uploads/:id", Handler: h.getUpload, Summary: "Which batch of an upload the server holds, to resume after a dropped connection", Tag: tag, Response: discoveryUpload{}},
		{Method: http.MethodPut, Path: "/api/v1/discovery/uploads/:id/batches/:seq", Handler: h.putBatch, Summary: "Store batch seq of an upload; sending a held batch again changes nothing", Tag: tag, Request: discoveryBatch{}, Response: discoveryUpload{}},
		{Method: http.MethodPost, Path: "/api/v1/discovery/uploads/:id/commit", Handler: h.commitUpload, Summary: "Close an upload once every batch is held, and reconcile the run", Tag: tag, Request: discoveryCommitIn{}, Response: discoveryRun{}},

		{Method: http.MethodGet, Path: "/api/v1/discovery/fingerprints", Handler: h.listFingerprints, Summary: "Fingerprint rules mapping devices onto annex-6 functions, enabled or not, in the order they apply", Tag: tag, Response: discovery.FingerprintRule{}, List: true},
		{Method: http.MethodPost, Path: "/api/v1/discovery/fingerprints", Handler: h.createFingerprint, Summary: "Add a fingerprint rule; the next run applies it (admin)", Tag: tag, Request: discovery.FingerprintRuleInput{}, Response: discovery.FingerprintRule{}, Status: http.StatusCreated},
		{Method: http.MethodPost, Path: "/api/v1/discovery/fingerprints/try", Handler: h.tryFingerprints, Summary: "Which rules match a device's sysDescr, sysObjectID, vendor and model, and the functions they assign", Tag: tag, Request: discovery.FingerprintTrial{}, Response: discovery.TrialResult{}},
		{Method: http.MethodGet, Path: "/api/v1/discovery/fingerprints/:id", Handler: h.getFingerprint, Summary: "One fingerprint rule", Tag: tag, Response: discovery.FingerprintRule{}},
		{Method: http.MethodPatch, Path: "/api/v1/discovery/fingerprints/:id", Handler: h.updateFingerprint, Summary: "Change, disable or enable a fingerprint rule (fields not sent keep their value; admin)", Tag: tag, Request: discovery.FingerprintRuleInput{}, Response: discovery.FingerprintRule{}},
	}
}
