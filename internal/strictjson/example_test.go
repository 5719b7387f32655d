package strictjson_test

import (
	"errors"
	"fmt"

	"github.com/gobware/gobware/internal/strictjson"
)

func ExampleUnmarshal() {
	var creds struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	for _, body := range []string{
		`{"username":"alice","password":"secret"}`,
		`{"username":"nobody","username":"alice","password":"secret"}`,
		`{"USERNAME":"alice","password":"secret"}`,
	} {
		err := strictjson.Unmarshal([]byte(body), &creds, strictjson.Options{})
		var ne *strictjson.NameError
		switch {
		case err == nil:
			fmt.Println("accepted:", creds.Username)
		case errors.As(err, &ne):
			fmt.Printf("refused: %v (%q)\n", ne.Err, ne.Path)
		}
	}
	// Output:
	// accepted: alice
	// refused: strictjson: duplicate member name ("username")
	// refused: strictjson: member name matches a field only case-insensitively ("USERNAME")
}
