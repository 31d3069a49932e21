package server

import (
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"critreg/errkind"
	"critreg/vetting"
)

// vettingAPI holds the vetting area's handlers.
type vettingAPI struct {
	s *Server
	v *vetting.Vetting
}

// compliance is the answer of GET /api/v1/compliance: the counts, and a page of items in
// the shape of every list.
type compliance struct {
	vetting.Compliance
	NextCursor string `json:"next_cursor,omitempty"`
}

func (h *vettingAPI) listStates(c echo.Context) error {
	f := vetting.StateFilter{AsOf: c.QueryParam("as_of"), Member: c.QueryParam("member"), Designated: c.QueryParam("designated") == "true"}
	if f.Member != "" && f.Member != "yes" && f.Member != "no" {
		return newBadRequest("bad query parameter", errkind.FieldError{Field: "member", Message: "must be yes or no"})
	}
	states, err := h.v.States(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(states, 0))
}

func (h *vettingAPI) getState(c echo.Context) error {
	st, err := h.v.State(c.Request().Context(), actor(c), c.Param("code"), c.QueryParam("as_of"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

func (h *vettingAPI) updateState(c echo.Context) error {
	var in vetting.StateInput
	if err := h.s.bind(c, &in); err != nil {
		return err
	}
	st, err := h.v.UpdateState(c.Request().Context(), actor(c), c.Param("code"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

func (h *vettingAPI) listParties(c echo.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	sid, err := queryID(c, "supplier_id")
	if err != nil {
		return err
	}
	f := vetting.PartyFilter{Q: c.QueryParam("q"), Kind: vetting.PartyKind(c.QueryParam("kind")), SupplierID: sid}
	ps, next, err := h.v.Parties(c.Request().Context(), actor(c), f, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(ps, next))
}

func (h *vettingAPI) createParty(c echo.Context) error {
	return answerCreated(h.s, c, actor(c), h.v.CreateParty)
}

func (h *vettingAPI) getParty(c echo.Context) error {
	return answerByID(c, actor(c), h.v.Party)
}

func (h *vettingAPI) updateParty(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actor(c)
	p, err := h.v.Party(ctx, a, id)
	if err != nil {
		return err
	}
	in := vetting.PartyInput{Kind: p.Kind, SupplierID: p.SupplierID, Name: p.Name, Country: p.Country, Citizenships: p.Citizenships,
		RegistrationNo: p.RegistrationNo, Note: p.Note}
	if err := h.s.bind(c, &in); err != nil {
		return err
	}
	p, err = h.v.UpdateParty(ctx, a, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (h *vettingAPI) deleteParty(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.v.DeleteParty(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *vettingAPI) listStatements(c echo.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	var f vetting.StatementFilter
	if f.SubjectID, err = queryID(c, "subject_id"); err != nil {
		return err
	}
	if f.OwnerID, err = queryID(c, "owner_id"); err != nil {
		return err
	}
	if f.PartyID, err = queryID(c, "party_id"); err != nil {
		return err
	}
	sts, next, err := h.v.Statements(c.Request().Context(), actor(c), f, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(sts, next))
}

func (h *vettingAPI) createStatement(c echo.Context) error {
	return answerCreated(h.s, c, actor(c), h.v.CreateStatement)
}

func (h *vettingAPI) getStatement(c echo.Context) error {
	return answerByID(c, actor(c), h.v.Statement)
}

func (h *vettingAPI) updateStatement(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actor(c)
	st, err := h.v.Statement(ctx, a, id)
	if err != nil {
		return err
	}
	in := vetting.StatementInput{SubjectID: st.SubjectID, OwnerID: st.OwnerID, Share: st.Share, Control: st.Control,
		StartDate: st.StartDate, EndDate: st.EndDate, Source: st.Source}
	if err := h.s.bind(c, &in); err != nil {
		return err
	}
	st, err = h.v.UpdateStatement(ctx, a, id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

func (h *vettingAPI) deleteStatement(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.v.DeleteStatement(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// importBODS reads the body whole: BODS data is an array or JSON lines, not one object.
func (h *vettingAPI) importBODS(c echo.Context) error {
	ct, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if ct != echo.MIMEApplicationJSON && ct != "application/x-ndjson" && ct != "application/jsonl" {
		return &echo.HTTPError{Code: http.StatusUnsupportedMediaType, Message: "send BODS statements as application/json or application/x-ndjson"}
	}
	data, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, h.s.cfg.MaxUpload))
	if err != nil {
		return decodeError(err)
	}
	res, err := h.v.ImportBODS(c.Request().Context(), actor(c), data)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func indicatorQuery(c echo.Context) (vetting.IndicatorQuery, error) {
	q := vetting.IndicatorQuery{AsOf: c.QueryParam("as_of")}
	if t := c.QueryParam("threshold"); t != "" {
		f, err := strconv.ParseFloat(t, 64)
		if err != nil || f <= 0 || f > 100 {
			return q, newBadRequest("bad query parameter", errkind.FieldError{Field: "threshold", Message: "must be a percentage above 0 and at most 100"})
		}
		q.Threshold = f
	}
	return q, nil
}

func (h *vettingAPI) indicators(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	q, err := indicatorQuery(c)
	if err != nil {
		return err
	}
	in, err := h.v.Indicators(c.Request().Context(), actor(c), id, q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, in)
}

func (h *vettingAPI) eligibility(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	q, err := indicatorQuery(c)
	if err != nil {
		return err
	}
	el, err := h.v.Eligibility(c.Request().Context(), actor(c), id, q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, el)
}

func (h *vettingAPI) listAnalystEntries(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	es, err := h.v.AnalystEntries(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(es, 0))
}

func (h *vettingAPI) addAnalystEntry(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in vetting.AnalystEntryInput
	if err := h.s.bind(c, &in); err != nil {
		return err
	}
	e, err := h.v.AddAnalystEntry(c.Request().Context(), actor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, e)
}

func (h *vettingAPI) listOpinions(c echo.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	sid, err := queryID(c, "supplier_id")
	if err != nil {
		return err
	}
	f := vetting.OpinionFilter{SupplierID: sid, Verdict: vetting.Verdict(c.QueryParam("verdict")), Status: c.QueryParam("status"), AsOf: c.QueryParam("as_of")}
	ops, next, err := h.v.Opinions(c.Request().Context(), actor(c), f, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(ops, next))
}

func (h *vettingAPI) issueOpinion(c echo.Context) error {
	return answerCreated(h.s, c, actor(c), h.v.Issue)
}

func (h *vettingAPI) getOpinion(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	o, err := h.v.Opinion(c.Request().Context(), actor(c), id, c.QueryParam("as_of"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

func (h *vettingAPI) revokeOpinion(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in vetting.RevocationInput
	if err := h.s.bind(c, &in); err != nil {
		return err
	}
	o, err := h.v.Revoke(c.Request().Context(), actor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, o)
}

func (h *vettingAPI) draftImpact(c echo.Context) error {
	var in vetting.OpinionInput
	if err := h.s.bind(c, &in); err != nil {
		return err
	}
	im, err := h.v.DraftImpact(c.Request().Context(), actor(c), in, c.QueryParam("as_of"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, im)
}

func (h *vettingAPI) opinionImpact(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	im, err := h.v.OpinionImpact(c.Request().Context(), actor(c), id, c.QueryParam("as_of"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, im)
}

func (h *vettingAPI) compliance(c echo.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	q := vetting.ComplianceQuery{Operator: c.QueryParam("operator"), AsOf: c.QueryParam("as_of"), Status: c.QueryParam("status"), Page: p}
	res, err := h.v.Compliance(c.Request().Context(), actor(c), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, compliance{Compliance: res, NextCursor: encodeCursor(res.NextCursor)})
}
