package server

// pageRoutes is this area's part of the route table.
func (s *Server) pageRoutes() []route { return nil }
