package server

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"critreg/errkind"
	"critreg/notice"
)

// Names of the body types as the OpenAPI document shows them.
type (
	checkIn        = notice.CheckInput
	checkOut       = notice.CheckResult
	listSubmission = notice.ListSubmission
	listDiff       = notice.ListDiff
	noticeIn       = notice.NoticeInput
	noticeOut      = notice.Notice
	noticeStepIn   = notice.StepInput
	queueEntry     = notice.QueueEntry
)

type submitListIn struct {
	// Operator is the operator's code; its own compliance officer may leave it out.
	Operator string `json:"operator"`
}

type noticeStepOut struct {
	Notice notice.Notice `json:"notice"`
	// Receipt is given for a submission or resubmission.
	Receipt *notice.Receipt `json:"receipt,omitempty"`
}

var stepSummary = map[notice.Action]string{
	notice.ActionSubmit:      "Submit a draft notice (operator); refused when a line starts before the earliest start or brings in a prohibited item",
	notice.ActionReview:      "Take a submitted notice for review (bureau)",
	notice.ActionAccept:      "Accept a notice under review (bureau)",
	notice.ActionObject:      "Object to a notice under review, naming the opinion that grounds the objection (bureau)",
	notice.ActionRequestInfo: "Ask the operator for more information (bureau)",
	notice.ActionResubmit:    "Resubmit a notice after the bureau asked for information (operator)",
	notice.ActionWithdraw:    "Withdraw a draft, submitted or information-requested notice (operator)",
}

func stepPath(a notice.Action) string { return strings.ReplaceAll(string(a), "_", "-") }

// noticeHandlers serve the notice area over one notice.Service.
type noticeHandlers struct {
	srv *Server
	svc *notice.Service
}

func (h *noticeHandlers) check(c echo.Context) error {
	var in checkIn
	if err := h.srv.bind(c, &in); err != nil {
		return err
	}
	res, err := h.svc.Check(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (h *noticeHandlers) submitList(c echo.Context) error {
	var in submitListIn
	if err := h.srv.bind(c, &in); err != nil {
		return err
	}
	sub, err := h.svc.SubmitList(c.Request().Context(), actor(c), in.Operator)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, sub)
}

func (h *noticeHandlers) listSubmissions(c echo.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	subs, next, err := h.svc.Submissions(c.Request().Context(), actor(c), notice.SubmissionFilter{Operator: c.QueryParam("operator")}, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(subs, next))
}

func (h *noticeHandlers) getSubmission(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sub, err := h.svc.Submission(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sub)
}

func (h *noticeHandlers) submissionContent(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sub, err := h.svc.Submission(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, sub.Content)
}

func (h *noticeHandlers) diffSubmissions(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	other, err := pathID(c, "other")
	if err != nil {
		return err
	}
	d, err := h.svc.Diff(c.Request().Context(), actor(c), id, other)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func (h *noticeHandlers) listNotices(c echo.Context) error {
	p, err := page(c)
	if err != nil {
		return err
	}
	f := notice.NoticeFilter{Operator: c.QueryParam("operator"), State: notice.State(c.QueryParam("state"))}
	ns, next, err := h.svc.Notices(c.Request().Context(), actor(c), f, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(ns, next))
}

func (h *noticeHandlers) createNotice(c echo.Context) error {
	var in noticeIn
	if err := h.srv.bind(c, &in); err != nil {
		return err
	}
	n, err := h.svc.CreateNotice(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, n)
}

func (h *noticeHandlers) getNotice(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	n, err := h.svc.Notice(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, n)
}

func (h *noticeHandlers) updateNotice(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in noticeIn
	if err := h.srv.bind(c, &in); err != nil {
		return err
	}
	n, err := h.svc.UpdateNotice(c.Request().Context(), actor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, n)
}

func (h *noticeHandlers) queue(c echo.Context) error {
	q, err := h.svc.Queue(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newList(q, 0))
}

// step serves one step of a notice's review. The body is optional: most steps need none.
func (h *noticeHandlers) step(act notice.Action) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var in noticeStepIn
		if c.Request().ContentLength != 0 {
			if err := h.srv.bind(c, &in); err != nil {
				return err
			}
		}
		n, r, err := h.svc.Step(c.Request().Context(), actor(c), id, act, in)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, noticeStepOut{Notice: n, Receipt: r})
	}
}

func (h *noticeHandlers) lineDone(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	line, err := strconv.Atoi(c.Param("line"))
	if err != nil || line <= 0 {
		return errkind.NotFound("line", c.Param("line"))
	}
	n, err := h.svc.MarkDone(c.Request().Context(), actor(c), id, line)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, n)
}

func (h *noticeHandlers) submittedContent(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	seq, err := strconv.Atoi(c.Param("seq"))
	if err != nil || seq <= 0 {
		return errkind.NotFound("submission", c.Param("seq"))
	}
	content, err := h.svc.SubmittedContent(c.Request().Context(), actor(c), id, seq)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, content)
}

func (h *noticeHandlers) workbook(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := h.svc.ExportWorkbook(c.Request().Context(), actor(c), id, &buf); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="notice-`+strconv.FormatInt(id, 10)+`.xlsx"`)
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}
