package server

// importRoutes is this area's part of the route table.
func (s *Server) importRoutes() []route { return nil }
