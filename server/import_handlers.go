package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"critreg/errkind"
	"critreg/inventory"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

type columnMapping = inventory.ColumnMapping

// columnMappingIn is the body of a saved-mapping change.
type columnMappingIn struct {
	Columns []inventory.MappedColumn `json:"columns"`
}

// importForm describes the multipart form of an import, for the API document.
type importForm struct {
	File     string `json:"file" format:"binary"`
	Operator string `json:"operator"`
	DryRun   bool   `json:"dry_run"`
	Sync     bool   `json:"sync"`
	Async    bool   `json:"async"`
}

// importAnswer is an import job as the API shows it. A refused import is also an RFC 9457
// problem (type, title, status, detail) with the problems in result.problems.
type importAnswer struct {
	Type   string `json:"type,omitempty"`
	Title  string `json:"title,omitempty"`
	Status int    `json:"status,omitempty"`
	Detail string `json:"detail,omitempty"`

	ID       string `json:"id"`
	Operator string `json:"operator"`
	FileName string `json:"file_name"`
	// State is running, done, refused (problems in the file) or failed.
	State    string                  `json:"state"`
	Done     int                     `json:"done"`
	Total    int                     `json:"total"`
	Started  time.Time               `json:"started"`
	Finished *time.Time              `json:"finished,omitempty"`
	Result   *inventory.ImportResult `json:"result,omitempty"`
	Error    string                  `json:"error,omitempty"`
}

// importJob is one import, running or finished.
type importJob struct {
	mu         sync.Mutex
	answer     importAnswer
	operatorID int64
	done       chan struct{}
}

func (j *importJob) snapshot() importAnswer {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.answer
}

// importJobs keeps the recent imports in memory, so that a client can follow a long one.
// They do not outlive the process; the items an import wrote, and its audit records, do.
type importJobs struct {
	mu    sync.Mutex
	byID  map[string]*importJob
	order []string
}

const keptImportJobs = 200

func newImportJobs() *importJobs { return &importJobs{byID: map[string]*importJob{}} }

func (js *importJobs) add(j *importJob) {
	js.mu.Lock()
	defer js.mu.Unlock()
	js.byID[j.answer.ID] = j
	js.order = append(js.order, j.answer.ID)
	for len(js.order) > keptImportJobs {
		delete(js.byID, js.order[0])
		js.order = js.order[1:]
	}
}

func (js *importJobs) get(id string) (*importJob, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.byID[id]
	return j, ok
}

func formBool(c echo.Context, name string) (bool, error) {
	v := strings.TrimSpace(c.FormValue(name))
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, newBadRequest("bad form field", errkind.FieldError{Field: name, Message: "must be true or false"})
	}
	return b, nil
}

// postImport takes an uploaded workbook. The body is bounded by MaxUpload (plus room for
// the form's other fields) before anything is parsed.
func (s *Server) postImport(jobs *importJobs) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength > s.cfg.MaxUpload+64<<10 {
			return &echo.HTTPError{Code: http.StatusRequestEntityTooLarge}
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, s.cfg.MaxUpload+64<<10)
		fh, err := c.FormFile("file")
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return &echo.HTTPError{Code: http.StatusRequestEntityTooLarge}
			}
			return newBadRequest("send the workbook as multipart/form-data in the field 'file'", errkind.FieldError{Field: "file", Message: "is required"})
		}
		if fh.Size > s.cfg.MaxUpload {
			return &echo.HTTPError{Code: http.StatusRequestEntityTooLarge}
		}
		dryRun, err := formBool(c, "dry_run")
		if err != nil {
			return err
		}
		syncList, err := formBool(c, "sync")
		if err != nil {
			return err
		}
		async, err := formBool(c, "async")
		if err != nil {
			return err
		}
		a := actor(c)
		code := strings.TrimSpace(c.FormValue("operator"))
		ctx := req.Context()
		if code == "" && a.Role.OperatorScoped() {
			o, err := s.inv.OperatorByID(ctx, a, a.OperatorID)
			if err != nil {
				return err
			}
			code = o.Code
		}
		if code == "" {
			return errkind.Invalid("operator", "is required")
		}
		op, err := s.inv.Operator(ctx, a, code)
		if err != nil {
			return err
		}
		src, err := fh.Open()
		if err != nil {
			return fmt.Errorf("open upload: %w", err)
		}
		data, err := io.ReadAll(io.LimitReader(src, s.cfg.MaxUpload+1))
		src.Close()
		if err != nil {
			return fmt.Errorf("read upload: %w", err)
		}
		name := fileBase(fh.Filename)
		j := &importJob{operatorID: op.ID, done: make(chan struct{}), answer: importAnswer{
			ID: strings.ToLower(rand.Text()[:16]), Operator: op.Code, FileName: name, State: "running", Started: time.Now().UTC()}}
		jobs.add(j)
		opt := inventory.ImportOptions{DryRun: dryRun, Sync: syncList, FileName: name, Progress: func(done, total int) {
			j.mu.Lock()
			j.answer.Done, j.answer.Total = done, total
			j.mu.Unlock()
		}}
		run := func(ctx context.Context) error {
			defer close(j.done)
			res, err := s.inv.Import(ctx, a, op.Code, bytes.NewReader(data), int64(len(data)), opt)
			now := time.Now().UTC()
			j.mu.Lock()
			defer j.mu.Unlock()
			j.answer.Finished = &now
			j.answer.Result = &res
			var refused *inventory.ImportError
			switch {
			case err == nil:
				j.answer.State = "done"
			case errors.As(err, &refused):
				j.answer.State = "refused"
			default:
				j.answer.State, j.answer.Error = "failed", err.Error()
				if !errors.Is(err, errkind.ErrForbidden) && !errors.Is(err, errkind.ErrNotFound) {
					j.answer.Error = "the import could not complete; it has been logged"
				}
				return err
			}
			return nil
		}
		if async {
			// The job outlives the request: it runs on a context of its own.
			go func() {
				// No request is left to answer: the error is logged here, once.
				if err := run(context.WithoutCancel(ctx)); err != nil && !errors.As(err, new(*inventory.ImportError)) {
					s.log.WithError(err).WithField("import", j.answer.ID).Error("import failed")
				}
			}()
			return c.JSON(http.StatusAccepted, j.snapshot())
		}
		if err := run(ctx); err != nil {
			return err
		}
		return s.answerImport(c, j.snapshot())
	}
}

// answerImport writes a finished import: 200 with the result, or 422 as a problem whose
// result lists every problem of the file.
func (s *Server) answerImport(c echo.Context, ans importAnswer) error {
	if ans.State == "refused" {
		ans.Type, ans.Title, ans.Status = "about:blank", "Invalid workbook", http.StatusUnprocessableEntity
		if n := len(ans.Result.Problems) + ans.Result.MoreProblems; n == 1 {
			ans.Detail = ans.Result.Problems[0].String() + "; nothing was written"
		} else {
			ans.Detail = fmt.Sprintf("the workbook has %d problems; nothing was written", n)
		}
		c.Response().Header().Set(echo.HeaderContentType, problemType)
		c.Response().WriteHeader(http.StatusUnprocessableEntity)
		return writeJSON(c.Response(), ans)
	}
	return c.JSON(http.StatusOK, ans)
}

func (s *Server) getImport(jobs *importJobs) echo.HandlerFunc {
	return func(c echo.Context) error {
		j, ok := jobs.get(c.Param("id"))
		if !ok || !actor(c).Sees(j.operatorID) {
			return errkind.NotFound("import", c.Param("id"))
		}
		return c.JSON(http.StatusOK, j.snapshot())
	}
}

// fileBase keeps the last element of a client's file name, without control characters.
func fileBase(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if len(name) > 200 {
		name = name[:200]
	}
	if name == "" {
		name = "upload.xlsx"
	}
	return name
}

func (s *Server) exportAnnex7(c echo.Context) error {
	var buf bytes.Buffer
	a := actor(c)
	if err := s.inv.Export(c.Request().Context(), a, c.Param("code"), &buf); err != nil {
		return err
	}
	return sendWorkbook(c, fmt.Sprintf("annex7-%s-%s.xlsx", strings.ToUpper(c.Param("code")), time.Now().UTC().Format("2006-01-02")), buf.Bytes())
}

func (s *Server) annex7Template(c echo.Context) error {
	var buf bytes.Buffer
	if err := inventory.Template(&buf); err != nil {
		return err
	}
	return sendWorkbook(c, "annex7-template.xlsx", buf.Bytes())
}

func sendWorkbook(c echo.Context, name string, b []byte) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", name))
	return c.Blob(http.StatusOK, xlsxType, b)
}

func (s *Server) getColumnMapping(c echo.Context) error {
	m, err := s.inv.ColumnMapping(c.Request().Context(), actor(c), c.Param("code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

func (s *Server) putColumnMapping(c echo.Context) error {
	var in columnMappingIn
	if err := s.bind(c, &in); err != nil {
		return err
	}
	m, err := s.inv.SetColumnMapping(c.Request().Context(), actor(c), c.Param("code"), in.Columns)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}
