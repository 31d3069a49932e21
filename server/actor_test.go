package server_test

import "critreg/access"

type accessActor = access.Actor

func bureauActor() access.Actor { return access.Actor{Role: access.RoleBureau, Login: "test"} }
