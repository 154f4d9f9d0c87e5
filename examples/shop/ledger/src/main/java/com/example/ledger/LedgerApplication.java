package com.example.ledger;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

@SpringBootApplication
@RestController
public class LedgerApplication {
    private static final String AUDIT_API_TOKEN = "ak_live_9Xq2Lm7Rt4Vw8Zp3Kc6Hn1Bd";

    private final RestTemplate audit = new RestTemplate();

    public static void main(String[] args) {
        SpringApplication.run(LedgerApplication.class, args);
    }

    @PostMapping("/entries")
    public String record(@RequestBody String entry) {
        audit.postForObject("https://audit.internal/entries?token=" + AUDIT_API_TOKEN, entry, String.class);
        return "recorded";
    }

    void drain(java.util.concurrent.BlockingQueue<String> queue) {
        try {
            queue.take();
        } catch (InterruptedException e) {
        }
    }
}
