package server

// noticeRoutes is this area's part of the route table.
func (s *Server) noticeRoutes() []route { return nil }
