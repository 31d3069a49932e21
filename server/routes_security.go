package server

import "net/http"

// securityRoutes is the hardening area's part of the route table: suspension, the second
// factor and the export of the audit trail.
func (s *Server) securityRoutes() []route {
	return []route{
		{Method: http.MethodPost, Path: "/api/v1/users/:login/suspend", Handler: s.suspendUser, Summary: "Suspend a user at once: sign-in, sessions and tokens stop working (admin, 33.6)", Tag: "accounts", Response: user{}},
		{Method: http.MethodPost, Path: "/api/v1/users/:login/unsuspend", Handler: s.unsuspendUser, Summary: "Let a suspended user sign in again (admin)", Tag: "accounts", Response: user{}},
		{Method: http.MethodDelete, Path: "/api/v1/users/:login/totp", Handler: s.resetTOTP, Summary: "Remove a user's second factor, for a lost phone; the user enrols again (admin)", Tag: "accounts", Status: http.StatusNoContent},
		{Method: http.MethodPost, Path: "/api/v1/me/totp", Handler: s.enrolTOTP, Summary: "Start a TOTP enrolment: the otpauth URI and its QR code", Tag: "accounts", Response: totpEnrolment{}},
		{Method: http.MethodPost, Path: "/api/v1/me/totp/confirm", Handler: s.confirmTOTP, Summary: "Confirm the enrolment with a code; the recovery codes are shown once", Tag: "accounts", Request: totpCode{}, Response: recoveryCodes{}},
		{Method: http.MethodGet, Path: "/api/v1/audit/retention", Handler: s.getRetention, Summary: "How many months audit records are kept (at least 18)", Tag: "audit", Response: retention{}},
		{Method: http.MethodPut, Path: "/api/v1/audit/retention", Handler: s.setRetention, Summary: "Lengthen the audit retention; it can never be shortened (admin)", Tag: "audit", Request: retention{}, Response: retention{}},
		{Method: http.MethodPost, Path: "/api/v1/audit/prune", Handler: s.pruneAudit, Summary: "Delete the audit records older than the retention, keeping the chain verifiable (admin)", Tag: "audit", Response: pruned{}},
		{Method: http.MethodGet, Path: "/api/v1/audit/export", Handler: s.exportAudit, Summary: "The whole audit trail as JSON lines, oldest first (bureau, admin)", Tag: "audit", Produces: ndjsonType},
	}
}
