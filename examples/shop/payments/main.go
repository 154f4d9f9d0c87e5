// Payments: charges cards through the fraud service and records them in the ledger.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	pb "example.com/shop/payments/genproto"
)

type server struct {
	fraud pb.FraudServiceClient
	log   *slog.Logger
}

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	conn, err := grpc.NewClient(os.Getenv("FRAUD_ADDR"), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		logger.Error("dial fraud service", "err", err)
		os.Exit(1)
	}
	s := &server{fraud: pb.NewFraudServiceClient(conn), log: logger}

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.Handle("/metrics", promhttp.Handler())
	mux.HandleFunc("/charge", s.charge)

	srv := &http.Server{
		Addr:              ":8080",
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("serve", "err", err)
			os.Exit(1)
		}
	}()
	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Error("shutdown", "err", err)
	}
}

func (s *server) charge(w http.ResponseWriter, r *http.Request) {
	var req pb.ChargeRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	// The incoming request carries no deadline and none is added here.
	verdict, err := s.fraud.Check(r.Context(), &pb.CheckRequest{CardToken: req.CardToken})
	if err != nil {
		s.log.Error("fraud check", "err", err)
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
		return
	}
	if verdict.Blocked {
		http.Error(w, "declined", http.StatusPaymentRequired)
		return
	}
	receipt, _ := s.record(r.Context(), &req)
	_ = json.NewEncoder(w).Encode(receipt)
}

func (s *server) record(ctx context.Context, req *pb.ChargeRequest) (*pb.Receipt, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return s.fraud.Record(ctx, req)
}
