package server

// vettingRoutes is this area's part of the route table.
func (s *Server) vettingRoutes() []route { return nil }
