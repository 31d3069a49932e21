package server

import (
	"net/http"

	"critreg/vetting"
)

// vettingRoutes is this area's part of the route table: states reference data, the
// ownership graph, indicators and eligibility, opinions and compliance.
func (s *Server) vettingRoutes() []route {
	h := &vettingAPI{s: s, v: vetting.New(s.db)}
	asOf := []string{"as_of"}
	return []route{
		{Method: http.MethodGet, Path: "/api/v1/states", Handler: h.listStates, Summary: "States with NATO/EU/EEA membership and point-65 designations, as of a day", Tag: "vetting", Response: vetting.State{}, List: true, Query: []string{"as_of", "member", "designated"}},
		{Method: http.MethodGet, Path: "/api/v1/states/:code", Handler: h.getState, Summary: "One state and its sourced facts, as of a day", Tag: "vetting", Response: vetting.State{}, Query: asOf},
		{Method: http.MethodPatch, Path: "/api/v1/states/:code", Handler: h.updateState, Summary: "Replace a state's facts (bureau, admin)", Tag: "vetting", Request: vetting.StateInput{}, Response: vetting.State{}},

		{Method: http.MethodGet, Path: "/api/v1/parties", Handler: h.listParties, Summary: "Parties of the ownership graph (bureau)", Tag: "vetting", Response: vetting.Party{}, List: true, Query: []string{"q", "kind", "supplier_id"}},
		{Method: http.MethodPost, Path: "/api/v1/parties", Handler: h.createParty, Summary: "Add a company, person, state or state body to the graph (bureau)", Tag: "vetting", Request: vetting.PartyInput{}, Response: vetting.Party{}, Status: http.StatusCreated},
		{Method: http.MethodGet, Path: "/api/v1/parties/:id", Handler: h.getParty, Summary: "One party (bureau)", Tag: "vetting", Response: vetting.Party{}},
		{Method: http.MethodPatch, Path: "/api/v1/parties/:id", Handler: h.updateParty, Summary: "Change a party (fields not sent keep their value)", Tag: "vetting", Request: vetting.PartyInput{}, Response: vetting.Party{}},
		{Method: http.MethodDelete, Path: "/api/v1/parties/:id", Handler: h.deleteParty, Summary: "Remove a party no statement names", Tag: "vetting", Status: http.StatusNoContent},

		{Method: http.MethodGet, Path: "/api/v1/ownership", Handler: h.listStatements, Summary: "Ownership-or-control statements (bureau)", Tag: "vetting", Response: vetting.Statement{}, List: true, Query: []string{"subject_id", "owner_id", "party_id"}},
		{Method: http.MethodPost, Path: "/api/v1/ownership", Handler: h.createStatement, Summary: "Record who owns or controls whom (bureau)", Tag: "vetting", Request: vetting.StatementInput{}, Response: vetting.Statement{}, Status: http.StatusCreated},
		{Method: http.MethodPost, Path: "/api/v1/ownership/bods", Handler: h.importBODS, Summary: "Import BODS 0.4 or 0.2 statements (JSON array or JSON lines)", Tag: "vetting", Response: vetting.BODSResult{}},
		{Method: http.MethodGet, Path: "/api/v1/ownership/:id", Handler: h.getStatement, Summary: "One ownership-or-control statement (bureau)", Tag: "vetting", Response: vetting.Statement{}},
		{Method: http.MethodPatch, Path: "/api/v1/ownership/:id", Handler: h.updateStatement, Summary: "Change a statement (fields not sent keep their value)", Tag: "vetting", Request: vetting.StatementInput{}, Response: vetting.Statement{}},
		{Method: http.MethodDelete, Path: "/api/v1/ownership/:id", Handler: h.deleteStatement, Summary: "Remove a statement recorded in error", Tag: "vetting", Status: http.StatusNoContent},

		{Method: http.MethodGet, Path: "/api/v1/suppliers/:id/indicators", Handler: h.indicators, Summary: "Point-65 indicators of a supplier with their evidence (bureau)", Tag: "vetting", Response: vetting.Indicators{}, Query: []string{"as_of", "threshold"}},
		{Method: http.MethodGet, Path: "/api/v1/suppliers/:id/eligibility", Handler: h.eligibility, Summary: "Point-76 eligibility of a supplier", Tag: "vetting", Response: vetting.Eligibility{}, Query: []string{"as_of", "threshold"}},
		{Method: http.MethodGet, Path: "/api/v1/suppliers/:id/analyst-entries", Handler: h.listAnalystEntries, Summary: "The analyst's entries on 65.2.3, 65.2.4 and 65.3 (bureau; the read is audited)", Tag: "vetting", Response: vetting.AnalystEntry{}, List: true},
		{Method: http.MethodPost, Path: "/api/v1/suppliers/:id/analyst-entries", Handler: h.addAnalystEntry, Summary: "Record an analyst's entry (bureau)", Tag: "vetting", Request: vetting.AnalystEntryInput{}, Response: vetting.AnalystEntry{}, Status: http.StatusCreated},

		{Method: http.MethodGet, Path: "/api/v1/opinions", Handler: h.listOpinions, Summary: "The bureau's opinions, public parts", Tag: "vetting", Response: vetting.Opinion{}, List: true, Query: []string{"supplier_id", "verdict", "status", "as_of"}},
		{Method: http.MethodPost, Path: "/api/v1/opinions", Handler: h.issueOpinion, Summary: "Issue an opinion; with supersedes, replace an earlier one (bureau)", Tag: "vetting", Request: vetting.OpinionInput{}, Response: vetting.Opinion{}, Status: http.StatusCreated},
		{Method: http.MethodPost, Path: "/api/v1/opinions/impact", Handler: h.draftImpact, Summary: "What a draft opinion would hit, before issuing it (bureau)", Tag: "vetting", Request: vetting.OpinionInput{}, Response: vetting.Impact{}, Query: asOf},
		{Method: http.MethodGet, Path: "/api/v1/opinions/:id", Handler: h.getOpinion, Summary: "One opinion; the bureau also reads its rationale (audited)", Tag: "vetting", Response: vetting.Opinion{}, Query: asOf},
		{Method: http.MethodPost, Path: "/api/v1/opinions/:id/revoke", Handler: h.revokeOpinion, Summary: "Revoke an opinion by a new act (bureau)", Tag: "vetting", Request: vetting.RevocationInput{}, Response: vetting.Opinion{}},
		{Method: http.MethodGet, Path: "/api/v1/opinions/:id/impact", Handler: h.opinionImpact, Summary: "Operators, networks, critical parts and items an opinion hits (bureau)", Tag: "vetting", Response: vetting.Impact{}, Query: asOf},

		{Method: http.MethodGet, Path: "/api/v1/compliance", Handler: h.compliance, Summary: "An operator's list against the opinions in force: counts, gaps and items", Tag: "vetting", Response: compliance{}, Query: []string{"operator", "as_of", "status", "limit", "cursor"}},
	}
}
