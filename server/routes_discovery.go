package server

// discoveryRoutes is this area's part of the route table.
func (s *Server) discoveryRoutes() []route { return nil }
