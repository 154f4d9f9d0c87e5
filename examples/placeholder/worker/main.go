// Command worker refreshes the price cache every minute.
package main

import (
	"log"
	"net/http"
	"time"
)

var client = &http.Client{Timeout: 5 * time.Second}

func refresh(url string) error {
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func ping(url string) {
	resp, err := http.Get(url)
	if err != nil {
		log.Printf("ping %s: %v", url, err)
		return
	}
	resp.Body.Close()
}

func main() {
	for range time.Tick(time.Minute) {
		if err := refresh("http://pricing/refresh"); err != nil {
			log.Printf("refresh: %v", err)
		}
		ping("http://pricing/ping")
	}
}
