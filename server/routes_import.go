package server

import "net/http"

// importRoutes is this area's part of the route table: Excel import and export of the
// annex-7 list. The import jobs live with the routes that use them.
func (s *Server) importRoutes() []route {
	jobs := newImportJobs()
	s.imports = jobs
	return []route{
		{Method: http.MethodPost, Path: "/api/v1/imports", Handler: s.postImport(jobs), Tag: "import",
			Summary: "Import an annex-7 workbook (multipart: file, operator, dry_run, sync, async): every problem by sheet, row and column, or the dry-run diff, or the committed changes",
			Request: importForm{}, Response: importAnswer{}, Upload: true},
		{Method: http.MethodGet, Path: "/api/v1/imports/:id", Handler: s.getImport(jobs), Tag: "import",
			Summary: "An import's state and progress, and its result when done", Response: importAnswer{}},
		{Method: http.MethodGet, Path: "/api/v1/operators/:code/annex7.xlsx", Handler: s.exportAnnex7, Tag: "import",
			Summary: "An operator's annex-7 list as a workbook", Produces: xlsxType},
		{Method: http.MethodGet, Path: "/api/v1/annex7-template.xlsx", Handler: s.annex7Template, Tag: "import",
			Summary: "A blank annex-7 workbook", Produces: xlsxType},
		{Method: http.MethodGet, Path: "/api/v1/operators/:code/column-mapping", Handler: s.getColumnMapping, Tag: "import",
			Summary: "An operator's saved import column mapping", Response: columnMapping{}},
		{Method: http.MethodPut, Path: "/api/v1/operators/:code/column-mapping", Handler: s.putColumnMapping, Tag: "import",
			Summary: "Replace an operator's saved import column mapping (header → field or ignore)", Request: columnMappingIn{}, Response: columnMapping{}},
	}
}
